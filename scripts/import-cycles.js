#!/usr/bin/env node
/**
 * Folder-level import cycles under src/: folder A imports folder B and B
 * (directly or through others) imports A. Prints each cycle and exits 1 when
 * there is one. test/import-cycles.test.ts runs it on every `npm test`.
 *
 *   node scripts/import-cycles.js [srcDir]
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

/** folder → Map(folder it imports → first file seen importing it). */
function folderGraph(srcDir) {
  const graph = new Map();
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) addFile(file);
    }
  };
  const folderOf = (file) => {
    const rel = path.relative(srcDir, file);
    return rel.includes(path.sep) ? rel.split(path.sep)[0] : '.';
  };
  const addFile = (file) => {
    const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    const from = folderOf(file);
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), fileName);
      if (path.relative(srcDir, target).startsWith('..')) continue;
      // '../domain' is the folder's index.ts, not a file `domain.ts` at the top of src/.
      const isDir = !target.endsWith('.ts') && fs.existsSync(target) && fs.statSync(target).isDirectory();
      const to = folderOf(isDir ? path.join(target, 'index.ts') : target.endsWith('.ts') ? target : `${target}.ts`);
      if (to === from) continue;
      if (!graph.has(from)) graph.set(from, new Map());
      if (!graph.get(from).has(to)) graph.get(from).set(to, path.relative(process.cwd(), file));
    }
  };
  walk(srcDir);
  return graph;
}

/** Every elementary cycle's folder list, each reported once (starting at its smallest name). */
function findCycles(graph) {
  const cycles = new Set();
  const visit = (start, node, trail) => {
    for (const next of graph.get(node)?.keys() ?? []) {
      if (next === start) {
        const min = trail.indexOf([...trail].sort()[0]);
        cycles.add(JSON.stringify([...trail.slice(min), ...trail.slice(0, min)]));
      } else if (!trail.includes(next)) visit(start, next, [...trail, next]);
    }
  };
  for (const start of graph.keys()) visit(start, start, [start]);
  return [...cycles].map((c) => JSON.parse(c));
}

module.exports = { folderGraph, findCycles };

if (require.main === module) {
  const srcDir = path.resolve(process.argv[2] ?? 'src');
  const graph = folderGraph(srcDir);
  const cycles = findCycles(graph);
  for (const cycle of cycles) {
    const steps = cycle.map((f, i) => `${f} → ${cycle[(i + 1) % cycle.length]} (${graph.get(f).get(cycle[(i + 1) % cycle.length])})`);
    process.stdout.write(`import cycle: ${steps.join(', ')}\n`);
  }
  process.exitCode = cycles.length > 0 ? 1 : 0;
}
