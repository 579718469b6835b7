#!/usr/bin/env node
'use strict';
/*
 * `npm run conformance [-- --plugin github|dora] [--db <url>] [--only name,name] [--report file]`:
 * runs a bundled plugin against Apache DevLake's own e2e data for it
 * (generated-plugins/<plugin>/e2e/devlake-data, or GITHUB_/DORA_CONFORMANCE_DIR) from source.
 */
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
require('./ts-bootstrap').registerToolkitTypeScript({
  main: path.join(root, 'src', 'index.ts'),
  testing: path.join(root, 'src', 'testing', 'index.ts'),
  devlake: path.join(root, 'src', 'devlake', 'index.ts'),
});
// `--plugin <name>` (default github) picks generated-plugins/<name>/e2e/conformance.ts; the rest goes to the CLI.
const argv = process.argv.slice(2);
let pluginName = 'github';
const at = argv.findIndex((a) => a === '--plugin' || a.startsWith('--plugin='));
if (at >= 0) {
  pluginName = argv[at].includes('=') ? argv[at].slice('--plugin='.length) : argv[at + 1];
  argv.splice(at, argv[at].includes('=') ? 1 : 2);
}
const conformanceFile = path.join(root, 'generated-plugins', pluginName || '', 'e2e', 'conformance.ts');
if (!pluginName || !/^[a-z0-9_-]+$/.test(pluginName) || !fs.existsSync(conformanceFile)) {
  console.log(`conformance: no conformance runner for plugin "${pluginName ?? ''}" (expected ${path.relative(root, conformanceFile)}); use --plugin github or --plugin dora`);
  process.exitCode = 2;
} else {
  const { runConformance } = require(conformanceFile);
  require(path.join(root, 'generated-plugins', 'github', 'e2e', 'conformance-cli.ts'))
    .main(argv, undefined, undefined, runConformance)
    .then((code) => {
      process.exitCode = code;
    });
}
