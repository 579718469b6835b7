#!/usr/bin/env node
'use strict';
// `npm run bench [-- --quick] [-- --only <name>]`. Benchmarks are not tests: they never fail CI.
// The measures are TypeScript; they load through the toolkit's own swc require hook
// (src/runner/ts-loader.ts), compiled here once so no build step is needed.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const swc = require('@swc/core');

const loaderFile = path.join(__dirname, '..', 'src', 'runner', 'ts-loader.ts');
const { code } = swc.transformSync(fs.readFileSync(loaderFile, 'utf8'), {
  filename: loaderFile,
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  module: { type: 'commonjs' },
});
const loader = new Module(loaderFile, module);
loader.filename = loaderFile;
loader.paths = Module._nodeModulePaths(path.dirname(loaderFile));
loader._compile(code, loaderFile);
loader.exports.registerTypeScript();

require('./lib/main.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
