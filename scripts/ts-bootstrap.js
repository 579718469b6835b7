'use strict';
/*
 * Loads the toolkit's TypeScript sources in plain node, without a build: for
 * the bench, the conformance script and test child processes. A bare swc
 * `.ts` hook is installed just long enough to load the toolkit's own loader
 * (src/runner/ts-loader.ts, itself TypeScript, importing other toolkit files),
 * which then takes over.
 */
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const swc = require('@swc/core');

/** Registers TypeScript loading; `options` go to the toolkit's `registerTypeScript` (e.g. where `devlake-ts` resolves). */
function registerToolkitTypeScript(options) {
  Module._extensions['.ts'] = (module, filename) => {
    const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
      filename,
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    });
    module._compile(code, filename);
  };
  return require(path.join(__dirname, '..', 'src', 'runner', 'ts-loader.ts')).registerTypeScript(options);
}

module.exports = { registerToolkitTypeScript };
