import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { withBenchDb } from './lib/db';
import type { Measure } from './lib/measure';
import { MEMORY_PLUGIN, MEMORY_RAW_TABLE, memoryPluginSource } from './lib/memory-plugin';
import { populateRaw } from './lib/populate';
import { DEVLAKE_BIN, requireBuiltCli } from './lib/spawn';

/** What one `devlake run` reported. */
interface RunReport {
  /** The run's peak RSS plus, when it ran in a child, the launcher's private memory. */
  maxRssMb: number;
  /** Peak RSS of the process that ran the plugin. */
  runRssMb: number;
  /** Private memory of the launcher (bin/devlake) that started it, 0 when it ran in the launcher itself. */
  launcherMb: number;
  seconds: number;
}

/** One line of bench/lib/report-rss.js. */
interface RssLine {
  pid: number;
  ppid: number;
  maxRssKb: number;
  rssAnonKb?: number;
}

/**
 * `devlake run` re-executes node with tuned V8 flags (src/cli/respawn.ts), so
 * two processes report: the launcher we spawned and its child, the run. The
 * launcher's RSS is mostly the node binary's pages, shared with the child, so
 * it adds its private memory only (its whole RSS where /proc is missing).
 */
function runMemory(lines: RssLine[], launcherPid: number): Pick<RunReport, 'maxRssMb' | 'runRssMb' | 'launcherMb'> {
  const launcher = lines.find((l) => l.pid === launcherPid);
  const child = lines.find((l) => l.ppid === launcherPid);
  if (!launcher) throw new Error(`no peak RSS reported by devlake run (pid ${launcherPid})`);
  if (!child) return { maxRssMb: launcher.maxRssKb / 1024, runRssMb: launcher.maxRssKb / 1024, launcherMb: 0 };
  const launcherMb = (launcher.rssAnonKb ?? launcher.maxRssKb) / 1024;
  return { maxRssMb: child.maxRssKb / 1024 + launcherMb, runRssMb: child.maxRssKb / 1024, launcherMb };
}

/**
 * Peak RSS of `devlake run benchmem` (extract then convert every raw row of a
 * fresh SQLite file), read by a preloaded hook from
 * `process.resourceUsage().maxRSS` at exit. The database is filled by this
 * process first: peak RSS only grows, so the child does nothing else.
 */
async function peakRss(rows: number, pluginsDir: string, log: (m: string) => void): Promise<RunReport> {
  return withBenchDb('sqlite', async (db) => {
    await populateRaw(db.dal, MEMORY_RAW_TABLE, rows);
    const rssFile = path.join(pluginsDir, `rss-${rows}.json`);
    const started = Date.now();
    let launcherPid = 0;
    await new Promise<void>((resolve, reject) => {
      const p = spawn(
        process.execPath,
        ['-r', path.join(__dirname, 'lib', 'report-rss.js'), DEVLAKE_BIN, 'run', MEMORY_PLUGIN, '--db', db.url, '--json'],
        { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DEVLAKE_PLUGINS_PATH: pluginsDir, BENCH_RSS_FILE: rssFile, LOG_LEVEL: 'warn' } },
      );
      launcherPid = p.pid ?? 0;
      let output = '';
      p.stdout.on('data', (d: Buffer) => (output += d.toString()));
      p.stderr.on('data', (d: Buffer) => (output += d.toString()));
      p.on('error', reject);
      p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`devlake run ${MEMORY_PLUGIN} exited ${code}: ${output.slice(-800)}`))));
    });
    const seconds = (Date.now() - started) / 1000;
    const [{ n }] = (await db.dal.knex('issues').count({ n: '*' })) as Array<{ n: number | string }>;
    if (Number(n) !== rows) throw new Error(`devlake run ${MEMORY_PLUGIN} converted ${n} issues, expected ${rows}`);
    const lines = fs.readFileSync(rssFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as RssLine);
    const mem = runMemory(lines, launcherPid);
    log(
      `memory_scaling: ${rows} rows → peak RSS ${mem.maxRssMb.toFixed(1)} MB (run ${mem.runRssMb.toFixed(1)} MB + launcher ${mem.launcherMb.toFixed(1)} MB private), run took ${seconds.toFixed(1)} s`,
    );
    return { ...mem, seconds };
  });
}

/** Peak RSS of extract+convert on 10× the raw rows, in a `devlake run` child: streaming must keep it flat. */
export const measure: Measure = {
  name: 'memory_scaling',
  description: 'peak RSS of `devlake run` extract+convert (SQLite) on 10x the raw rows vs 1x (ratio = large / small)',
  async run({ quick, log }) {
    requireBuiltCli();
    const small = quick ? 10_000 : 100_000;
    const large = small * 10;
    const pluginsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-bench-mem-'));
    try {
      fs.mkdirSync(path.join(pluginsDir, MEMORY_PLUGIN));
      fs.writeFileSync(path.join(pluginsDir, MEMORY_PLUGIN, 'index.ts'), memoryPluginSource);
      const base = await peakRss(0, pluginsDir, log);
      const a = await peakRss(small, pluginsDir, log);
      const b = await peakRss(large, pluginsDir, log);
      return [
        {
          name: 'memory_scaling',
          value: b.maxRssMb,
          ceiling: a.maxRssMb,
          ratio: b.maxRssMb / a.maxRssMb,
          unit: 'MB',
          goal: { max: 1.2 },
          size: `${large} vs ${small} raw rows`,
          note: `ours = peak RSS at ${large} rows, ceiling column = peak RSS at ${small} rows (${Math.round(large / b.seconds)} rows/s extract+convert)`,
        },
        {
          name: 'memory_scaling.peak',
          value: b.maxRssMb,
          ceiling: 150,
          ratio: b.maxRssMb / 150,
          unit: 'MB',
          goal: { max: 1 },
          size: `${large} raw rows`,
          note: `peak RSS (run ${b.runRssMb.toFixed(0)} MB + launcher ${b.launcherMb.toFixed(0)} MB private) against the 150 MB budget; the same run on 0 rows peaks at ${base.maxRssMb.toFixed(0)} MB`,
        },
      ];
    } finally {
      fs.rmSync(pluginsDir, { recursive: true, force: true });
    }
  },
};
