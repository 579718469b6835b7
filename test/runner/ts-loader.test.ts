import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { tsCacheDir } from '../../src/runner/ts-loader';

const LOADER = path.resolve(__dirname, '..', '..', 'dist', 'runner', 'ts-loader.js');

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-ts-loader-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Requires a TypeScript file in a fresh node (the compiled loader, as bin/devlake uses it): its export and whether swc was loaded. */
function load(file: string, env: Record<string, string>): { value: unknown; swcLoaded: boolean } {
  const script = `require(${JSON.stringify(LOADER)}).registerTypeScript();
    const value = require(${JSON.stringify(file)}).value;
    process.stdout.write(JSON.stringify({ value, swcLoaded: Object.keys(require.cache).some((f) => f.includes('@swc') && !f.endsWith('package.json')) }));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`node exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as { value: unknown; swcLoaded: boolean };
}

describe('TypeScript loader compile cache', () => {
  it('compiles once; later processes load the cached output without swc, and an edit compiles again', () => {
    const file = path.join(dir, 'plugin.ts');
    const cache = path.join(dir, 'cache');
    fs.writeFileSync(file, 'const n: number = 41;\nexport const value = n + 1;\n');
    expect(load(file, { DEVLAKE_TS_CACHE: cache })).toEqual({ value: 42, swcLoaded: true });
    expect(fs.readdirSync(cache)).toHaveLength(1);
    expect(load(file, { DEVLAKE_TS_CACHE: cache })).toEqual({ value: 42, swcLoaded: false });

    fs.writeFileSync(file, 'export const value: string = "edited";\n');
    expect(load(file, { DEVLAKE_TS_CACHE: cache })).toEqual({ value: 'edited', swcLoaded: true });
    expect(fs.readdirSync(cache)).toHaveLength(1); // the entry was replaced, not added to
    expect(load(file, { DEVLAKE_TS_CACHE: cache })).toEqual({ value: 'edited', swcLoaded: false });
  });

  it('deletes entries unused for a week when it writes a new one', () => {
    const cache = path.join(dir, 'cache');
    fs.mkdirSync(cache);
    const stale = path.join(cache, 'stale.js');
    const recent = path.join(cache, 'recent.js');
    fs.writeFileSync(stale, '');
    fs.writeFileSync(recent, '');
    const eightDaysAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000);
    fs.utimesSync(stale, eightDaysAgo, eightDaysAgo);
    const file = path.join(dir, 'plugin.ts');
    fs.writeFileSync(file, 'export const value = 1 as number;\n');
    expect(load(file, { DEVLAKE_TS_CACHE: cache }).value).toBe(1);
    expect(fs.readdirSync(cache)).toHaveLength(2);
    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.existsSync(recent)).toBe(true);
  });

  it('works without a cache: turned off, or a cache path that cannot be written', () => {
    const file = path.join(dir, 'plugin.ts');
    fs.writeFileSync(file, 'export const value: number[] = [1, 2];\n');
    expect(load(file, { DEVLAKE_TS_CACHE: 'off' })).toEqual({ value: [1, 2], swcLoaded: true });
    const notADir = path.join(dir, 'file');
    fs.writeFileSync(notADir, '');
    expect(load(file, { DEVLAKE_TS_CACHE: path.join(notADir, 'cache') })).toEqual({ value: [1, 2], swcLoaded: true });
    expect(fs.readdirSync(dir).sort()).toEqual(['file', 'plugin.ts']);
  });

  it('keeps the cache in the user’s cache directory unless told otherwise', () => {
    expect(tsCacheDir({ DEVLAKE_TS_CACHE: 'off' })).toBeUndefined();
    expect(tsCacheDir({ DEVLAKE_TS_CACHE: '/tmp/x' })).toBe(path.resolve('/tmp/x'));
    expect(tsCacheDir({ XDG_CACHE_HOME: '/home/u/.xdg' })).toBe(path.join('/home/u/.xdg', 'devlake-ts', 'ts'));
    expect(tsCacheDir({})).toBe(path.join(os.homedir(), '.cache', 'devlake-ts', 'ts'));
  });
});
