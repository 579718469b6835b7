import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root (bench/lib/../..). */
export const ROOT = path.resolve(__dirname, '..', '..');
/** The built CLI entry; `npm run build` (or `npm ci`, via prepare) makes dist/. */
export const DEVLAKE_BIN = path.join(ROOT, 'bin', 'devlake');

/** Fails with a clear message when dist/ is missing, since bin/devlake runs the compiled CLI. */
export function requireBuiltCli(): void {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) {
    throw new Error('dist/ is missing: run `npm run build` first (bin/devlake runs the compiled CLI)');
  }
}

/** Wall time of one `node <args>` process, in ms; throws when it exits non-zero. */
export function timeNode(args: string[], cwd = ROOT): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${(r.stderr || r.stdout).slice(0, 500)}`);
  return ms;
}
