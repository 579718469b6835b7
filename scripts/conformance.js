#!/usr/bin/env node
'use strict';
/*
 * `npm run conformance [-- --db <url>] [--only name,name] [--report file]`:
 * runs the GitHub plugin against Apache DevLake's own GitHub e2e data
 * (generated-plugins/github/e2e/devlake-data, or GITHUB_CONFORMANCE_DIR) from source.
 */
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const swc = require('@swc/core');

const root = path.resolve(__dirname, '..');
// A bare .ts hook, just long enough to load the toolkit's own loader (itself TypeScript), which then takes over.
Module._extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
require(path.join(root, 'src', 'runner', 'ts-loader.ts')).registerTypeScript({
  main: path.join(root, 'src', 'index.ts'),
  testing: path.join(root, 'src', 'testing', 'index.ts'),
  devlake: path.join(root, 'src', 'devlake', 'index.ts'),
});
require(path.join(root, 'generated-plugins', 'github', 'e2e', 'conformance-cli.ts'))
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
