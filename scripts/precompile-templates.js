#!/usr/bin/env node
'use strict';
/*
 * `node scripts/precompile-templates.js` (run by `npm run build`, after tsc): writes
 * dist/generator/templates.precompiled.js, every template of templates/ precompiled, so the
 * generator renders without compiling Handlebars templates at each run.
 */
const fs = require('node:fs');
const path = require('node:path');
const root = path.resolve(__dirname, '..');
const { precompiledModule, PRECOMPILED_FILE } = require(path.join(root, 'dist', 'generator', 'precompile.js'));
const target = path.join(root, 'dist', 'generator', PRECOMPILED_FILE);
fs.writeFileSync(target, precompiledModule(require('handlebars'), path.join(root, 'templates')));
