#!/usr/bin/env node
'use strict';
// `npm run bench [-- --quick] [-- --only <name>]`. Benchmarks are not tests: they never fail CI.
// The measures are TypeScript; they load through the toolkit's own swc require hook
// (src/runner/ts-loader.ts), compiled here once so no build step is needed.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const swc = require('@swc/core');

// A bare .ts hook, just long enough to load the toolkit's own loader (itself TypeScript, importing other
// toolkit files such as core/errors.ts), which then takes over.
Module._extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
require(path.join(__dirname, '..', 'src', 'runner', 'ts-loader.ts')).registerTypeScript();

require('./lib/main.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
