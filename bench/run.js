#!/usr/bin/env node
'use strict';
// `npm run bench [-- --quick] [-- --only <name>]`. Benchmarks are not tests: they never fail CI.
// The measures are TypeScript; they load through the toolkit's own swc require hook
// (src/runner/ts-loader.ts, installed by scripts/ts-bootstrap.js), so no build step is needed.
require('../scripts/ts-bootstrap').registerToolkitTypeScript();

require('./lib/main.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
