import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const { folderGraph, findCycles } = require('../scripts/import-cycles.js') as {
  folderGraph(srcDir: string): Map<string, Map<string, string>>;
  findCycles(graph: Map<string, Map<string, string>>): string[][];
};

describe('folder-level import cycles', () => {
  it('src/ has none', () => {
    expect(findCycles(folderGraph(resolve(__dirname, '../src')))).toEqual([]);
  });

  it('finds a two-folder cycle made by type-only imports', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cycles-'));
    try {
      mkdirSync(join(dir, 'a'));
      mkdirSync(join(dir, 'b'));
      mkdirSync(join(dir, 'c'));
      writeFileSync(join(dir, 'a', 'x.ts'), "import type { Y } from '../b/y';\nexport type X = Y;\n");
      writeFileSync(join(dir, 'b', 'y.ts'), "import { z } from '../c/z';\nexport type Y = typeof z;\n");
      writeFileSync(join(dir, 'c', 'z.ts'), "export { x } from '../a/x';\nexport const z = 1;\n");
      expect(findCycles(folderGraph(dir))).toEqual([['a', 'b', 'c']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads an import of a folder as that folder (its index.ts), not the top of src/', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cycles-'));
    try {
      mkdirSync(join(dir, 'a'));
      writeFileSync(join(dir, 'index.ts'), "export * from './a/x';\n");
      writeFileSync(join(dir, 'a', 'index.ts'), 'export const y = 1;\n');
      writeFileSync(join(dir, 'a', 'x.ts'), "export const x = 1;\n");
      mkdirSync(join(dir, 'b'));
      writeFileSync(join(dir, 'b', 'z.ts'), "import { y } from '../a';\nexport const z = y;\n");
      const graph = folderGraph(dir);
      expect([...(graph.get('b')?.keys() ?? [])]).toEqual(['a']);
      expect(findCycles(graph)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
