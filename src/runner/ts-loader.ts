import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { DevlakeError } from '../core/errors';

/**
 * Lets `require()` load TypeScript plugins (generated-plugins/, ./plugins/,
 * DEVLAKE_PLUGINS_PATH) without a build step, through swc, and resolves
 * `devlake-ts` / `devlake-ts/testing` to this toolkit wherever the plugin
 * lives, so a plugin and the runner always share one copy of the framework.
 *
 * Compiled files are cached on disk (see {@link tsCacheDir}): swc is a ~20 MB
 * native library, so a run whose plugin files are all cached neither loads it
 * nor pays its resident memory.
 */

let registered = false;

/** Entry files the package names resolve to. */
export interface ToolkitEntries {
  /** File for `devlake-ts`, e.g. `<root>/dist/index.js` or `<root>/src/index.ts`. */
  main: string;
  /** File for `devlake-ts/testing`. */
  testing: string;
  /** File for `devlake-ts/devlake` (defaults to `devlake/index` beside `main`). */
  devlake?: string;
}

/** The toolkit's own entries: compiled `dist/` when running compiled, `src/` when running from source. */
export function defaultToolkitEntries(): ToolkitEntries {
  const here = __dirname; // dist/runner or src/runner
  const root = path.resolve(here, '..', '..');
  const compiled = path.basename(path.dirname(here)) === 'dist' || fs.existsSync(path.join(here, 'ts-loader.js'));
  return compiled
    ? { main: path.join(root, 'dist', 'index.js'), testing: path.join(root, 'dist', 'testing', 'index.js'), devlake: path.join(root, 'dist', 'devlake', 'index.js') }
    : { main: path.join(root, 'src', 'index.ts'), testing: path.join(root, 'src', 'testing', 'index.ts'), devlake: path.join(root, 'src', 'devlake', 'index.ts') };
}

/** swc options; part of each cache key. */
const SWC_OPTIONS = {
  sourceMaps: 'inline',
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  module: { type: 'commonjs' },
} as const;

/**
 * Where compiled plugin files are kept: `$DEVLAKE_TS_CACHE`, else
 * `$XDG_CACHE_HOME/devlake-ts/ts` or `~/.cache/devlake-ts/ts` (in the user's
 * home, never a shared temp directory another user could fill with code).
 * `DEVLAKE_TS_CACHE=off` disables the cache.
 */
export function tsCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const configured = env.DEVLAKE_TS_CACHE;
  if (configured === 'off') return undefined;
  if (configured) return path.resolve(configured);
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'devlake-ts', 'ts');
}

/** Entries unused this long are deleted: files of deleted plugins and temporary directories (tests, benchmarks). */
const CACHE_MAX_AGE_MS = 7 * 24 * 3600 * 1000;
let pruned = false;

/** Marks a cache hit (mtime), at most once a day per entry. */
function keepFresh(entry: string): void {
  try {
    if (Date.now() - fs.statSync(entry).mtimeMs > 24 * 3600 * 1000) fs.utimesSync(entry, new Date(), new Date());
  } catch {
    // Best effort: an entry pruned too early is compiled again.
  }
}

/** Deletes stale entries, once per process and only when something new is written. */
function pruneOnce(cacheDir: string): void {
  if (pruned) return;
  pruned = true;
  for (const name of fs.readdirSync(cacheDir)) {
    const file = path.join(cacheDir, name);
    try {
      if (Date.now() - fs.statSync(file).mtimeMs > CACHE_MAX_AGE_MS) fs.rmSync(file, { force: true });
    } catch {
      // Removed by a concurrent run.
    }
  }
}

/** Compiles TypeScript through swc, or returns the cached output of the same source, swc version and options. */
function compiler(cacheDir: string | undefined): (source: string, filename: string) => string {
  let swc: typeof import('@swc/core') | undefined;
  const compile = (source: string, filename: string) => {
    swc ??= require('@swc/core') as typeof import('@swc/core');
    return swc.transformSync(source, { filename, ...SWC_OPTIONS }).code;
  };
  if (!cacheDir) return compile;
  const swcVersion = (require('@swc/core/package.json') as { version: string }).version;
  const salt = `${swcVersion}\0${JSON.stringify(SWC_OPTIONS)}\0`;
  return (source, filename) => {
    // One entry per file (named by its path), valid for one content: edits replace it instead of piling up.
    const entry = path.join(cacheDir, `${createHash('sha256').update(filename).digest('hex').slice(0, 32)}.js`);
    const header = `//devlake-ts ${createHash('sha256').update(salt).update(filename).update('\0').update(source).digest('hex')}\n`;
    try {
      const cached = fs.readFileSync(entry, 'utf8');
      if (cached.startsWith(header)) {
        keepFresh(entry);
        return cached.slice(header.length);
      }
    } catch {
      // Not cached yet (or unreadable): compile below.
    }
    const code = compile(source, filename);
    try {
      fs.mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
      pruneOnce(cacheDir);
      const tmp = `${entry}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, header + code, { mode: 0o600 });
      fs.renameSync(tmp, entry); // atomic: a concurrent run reads the old entry or the new one, never half of one
    } catch {
      // A read-only or full cache only costs the next run a compile.
    }
    return code;
  };
}

/** Installs the `.ts` require hook and the package-name resolution, once per process. */
export function registerTypeScript(entries: ToolkitEntries = defaultToolkitEntries()): void {
  if (registered) return;
  registered = true;
  // Lazy: swc loads on the first TypeScript file the cache does not hold.
  const compile = compiler(tsCacheDir());
  const extensions = (Module as unknown as { _extensions: Record<string, (m: Module, f: string) => void> })._extensions;
  extensions['.ts'] = (module: Module, filename: string) => {
    let code: string;
    try {
      code = compile(fs.readFileSync(filename, 'utf8'), filename);
    } catch (err) {
      throw compileError(err, filename);
    }
    (module as unknown as { _compile(code: string, filename: string): void })._compile(code, filename);
  };

  const mod = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = mod._resolveFilename;
  mod._resolveFilename = function (request: string, ...rest: unknown[]) {
    if (request === 'devlake-ts') return entries.main;
    if (request === 'devlake-ts/testing') return entries.testing;
    if (request === 'devlake-ts/devlake') return entries.devlake ?? path.join(path.dirname(entries.main), 'devlake', `index${path.extname(entries.main)}`);
    return original.call(this, request, ...rest);
  };
}

/**
 * swc reports a syntax error as ~2 KB of drawn source excerpt and a native
 * backtrace. The error keeps that output as its cause (printed with
 * `--verbose`) and says `file:line:col: message` itself, like tsc.
 */
export function compileError(err: unknown, filename: string): DevlakeError {
  const output = String((err as { message?: unknown })?.message ?? err);
  const where = parseSwcLocation(output);
  const file = where?.file ?? filename;
  const message = /^\s*(?:x|×|error:?)\s+(.+)$/m.exec(output)?.[1]?.trim() ?? output.split('\n')[0].trim();
  const at = where ? `${file}:${where.line}:${where.column}` : file;
  return new DevlakeError('DEVLAKE_E_PLUGIN_LOAD', `${at}: ${message}`, {
    cause: err,
    hint: 'Fix the code at that place; `devlake --verbose …` prints the compiler\'s full output.',
    data: { file, ...(where ? { line: where.line, column: where.column } : {}), verboseCause: true },
  });
}

/** The place of a swc diagnostic: `,-[file:line:col]` names the excerpt, the `^` under the code line marks the column. */
function parseSwcLocation(output: string): { file: string; line: number; column: number } | undefined {
  const head = /,-\[(.+):(\d+):(\d+)\]/.exec(output);
  if (!head) return undefined;
  const line = Number(head[2]);
  let column = Number(head[3]);
  const lines = output.split('\n');
  const codeLine = lines.findIndex((l) => new RegExp(`^\\s*${line} \\|`).test(l));
  const caret = codeLine >= 0 ? lines[codeLine + 1] : undefined;
  if (caret !== undefined && /^\s*:\s*\^/.test(caret)) {
    const codeStart = lines[codeLine].indexOf('|') + 2;
    column = caret.indexOf('^') - codeStart + 1;
  }
  return { file: head[1], line, column };
}
