'use strict';
// One process of rate_limit_shared: loads the TypeScript client loop through the toolkit's swc hook (as
// bench/run.js does), runs it, prints the completion times (epoch ms) as one JSON line on stdout.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const swc = require('@swc/core');

Module._extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
require(path.join(__dirname, '..', '..', 'src', 'runner', 'ts-loader.ts')).registerTypeScript();

require('./shared-limit-client.ts')
  .run(JSON.parse(process.argv[2]))
  .then(
    (times) => process.stdout.write(`${JSON.stringify(times)}\n`),
    (err) => {
      process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
      process.exitCode = 1;
    },
  );
