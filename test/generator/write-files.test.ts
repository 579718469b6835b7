import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatResults, writeFiles, type GeneratedFile } from '../../src/generator/write-files';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-write-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const put = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text);
};
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

describe('writeFiles', () => {
  it('reports created / identical / skipped / updated per file', () => {
    put('p/same.ts', 'same');
    put('p/kept.csv', 'mine');
    put('p/index.ts', 'old');
    const files: GeneratedFile[] = [
      { path: 'p/new.ts', content: 'new', policy: 'create' },
      { path: 'p/same.ts', content: 'same', policy: 'create' },
      { path: 'p/kept.csv', content: 'template', policy: 'keep' },
      { path: 'p/index.ts', content: 'registered', policy: 'edit' },
    ];
    expect(writeFiles(files, { root }).map((r) => r.outcome)).toEqual(['created', 'identical', 'skipped', 'updated']);
    expect([read('p/new.ts'), read('p/kept.csv'), read('p/index.ts')]).toEqual(['new', 'mine', 'registered']);
    expect(writeFiles(files, { root }).map((r) => r.outcome)).toEqual(['identical', 'identical', 'skipped', 'identical']);
  });

  it('writes nothing at all when one file is a conflict', () => {
    put('p/a.ts', 'hand-edited');
    const files: GeneratedFile[] = [
      { path: 'p/b.ts', content: 'b', policy: 'create' },
      { path: 'p/a.ts', content: 'generated', policy: 'create' },
    ];
    expect(() => writeFiles(files, { root })).toThrow(expect.objectContaining({ code: 'DEVLAKE_E_GEN_CONFLICT', hint: expect.stringContaining('--force') }));
    expect(fs.existsSync(path.join(root, 'p/b.ts'))).toBe(false);
    expect(read('p/a.ts')).toBe('hand-edited');
  });

  it('overwrites with force, and a dry run writes nothing but reports the same list', () => {
    put('p/a.ts', 'hand-edited');
    const files: GeneratedFile[] = [
      { path: 'p/a.ts', content: 'generated', policy: 'create' },
      { path: 'p/b.ts', content: 'b', policy: 'create' },
    ];
    expect(writeFiles(files, { root, dryRun: true }).map((r) => r.outcome)).toEqual(['conflict', 'created']);
    expect(fs.existsSync(path.join(root, 'p/b.ts'))).toBe(false);
    expect(writeFiles(files, { root, force: true }).map((r) => r.outcome)).toEqual(['updated', 'created']);
    expect(read('p/a.ts')).toBe('generated');
    expect(fs.readdirSync(path.join(root, 'p')).sort()).toEqual(['a.ts', 'b.ts']); // no temporary files left
  });

  it('formats one line per file and a summary', () => {
    const text = formatResults([{ path: 'p/a.ts', outcome: 'created' }, { path: 'p/b.ts', outcome: 'identical' }], true);
    expect(text).toBe('created   p/a.ts\nidentical p/b.ts\nDry run: 1 file(s) would change; nothing was written.');
    expect(formatResults([{ path: 'p/b.ts', outcome: 'identical' }])).toContain('No changes.');
  });
});
