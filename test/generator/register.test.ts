import { registerInSource } from '../../src/generator/register';

const INDEX = `import { definePlugin } from 'devlake-ts';
import { migrationScripts } from './migrations';

export default definePlugin({
  name: 'x',
  description: 'x',
  subTaskMetas() {
    return [];
  },
  prepareTaskData: () => ({}),
  getTablesInfo: () => [],
});
`;

describe('registerInSource', () => {
  it('adds the identifier to the array a method returns, and imports it', () => {
    const out = registerInSource(INDEX, 'index.ts', {
      target: { method: 'subTaskMetas' },
      identifier: 'CollectCommitterMeta',
      from: './tasks/committer-collector',
    });
    expect(out).toContain('    return [CollectCommitterMeta];');
    expect(out).toContain("import { migrationScripts } from './migrations';\nimport { CollectCommitterMeta } from './tasks/committer-collector';\n");
  });

  it('changes nothing the second time', () => {
    const reg = { target: { method: 'subTaskMetas' }, identifier: 'CollectCommitterMeta', from: './tasks/committer-collector' } as const;
    const once = registerInSource(INDEX, 'index.ts', reg);
    expect(registerInSource(once, 'index.ts', reg)).toBe(once);
  });

  it('appends in order and handles an arrow-function property', () => {
    let out = INDEX;
    for (const id of ['A', 'B']) out = registerInSource(out, 'index.ts', { target: { method: 'subTaskMetas' }, identifier: id, from: `./${id}` });
    out = registerInSource(out, 'index.ts', { target: { method: 'getTablesInfo' }, identifier: 'M', from: './m' });
    expect(out).toContain('return [A, B];');
    expect(out).toContain('getTablesInfo: () => [M],');
  });

  it('adds to an existing named import from the same module', () => {
    const src = "import { a } from './tasks';\n\nexport const list = [a];\n";
    const out = registerInSource(src, 'x.ts', { target: { variable: 'list' }, identifier: 'b', from: './tasks' });
    expect(out).toBe("import { a, b } from './tasks';\n\nexport const list = [a, b];\n");
  });

  it('keeps a multi-line array multi-line', () => {
    const src = "import type { T } from 't';\n\nexport const scripts: T[] = [\n  first,\n];\n";
    const out = registerInSource(src, 'x.ts', { target: { variable: 'scripts' }, identifier: 'second', from: './second' });
    expect(out).toContain('export const scripts: T[] = [\n  first,\n  second,\n];');
  });

  it('breaks a long array onto one element per line', () => {
    const ids = Array.from({ length: 6 }, (_, i) => `CollectSomethingRatherLong${i}Meta`);
    let out = 'export const list = [];\n';
    for (const id of ids) out = registerInSource(out, 'x.ts', { target: { variable: 'list' }, identifier: id, from: `./${id}` });
    expect(out).toContain(`export const list = [\n${ids.map((id) => `  ${id},`).join('\n')}\n];`);
    expect(out.split('\n').every((line) => line.length <= 110)).toBe(true);
  });

  it('fails with DEVLAKE_E_GEN_REGISTER naming where to add it by hand', () => {
    expect(() => registerInSource('export const other = 1;\n', 'index.ts', { target: { method: 'subTaskMetas' }, identifier: 'X', from: './x' })).toThrow(
      expect.objectContaining({ code: 'DEVLAKE_E_GEN_REGISTER', hint: expect.stringContaining('subTaskMetas') }),
    );
  });
});
