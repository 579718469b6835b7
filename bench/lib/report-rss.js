'use strict';
// Preloaded (`node -r`) into a process whose peak memory a measure wants: writes
// the peak RSS to $BENCH_RSS_FILE when the process exits. Nothing else changes.
const fs = require('node:fs');

process.on('exit', () => {
  const file = process.env.BENCH_RSS_FILE;
  if (file) fs.writeFileSync(file, JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS }));
});
