'use strict';
// Preloaded (`node -r`) into a process whose peak memory a measure wants: appends one JSON line
// to $BENCH_RSS_FILE when the process exits. Node passes `-r` on to the child that `devlake run`
// starts (bin/devlake re-executes node with tuned V8 flags), so the launcher and the run each
// write a line. Nothing else changes.
const fs = require('node:fs');

/** Private (anonymous) resident memory now, in KB, from /proc (Linux); undefined elsewhere. */
function rssAnonKb() {
  try {
    const m = /^RssAnon:\s+(\d+) kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

process.on('exit', () => {
  const file = process.env.BENCH_RSS_FILE;
  if (!file) return;
  const line = { pid: process.pid, ppid: process.ppid, maxRssKb: process.resourceUsage().maxRSS, rssAnonKb: rssAnonKb() };
  fs.appendFileSync(file, `${JSON.stringify(line)}\n`);
});
