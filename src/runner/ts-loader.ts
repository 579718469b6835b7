import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';

/**
 * Lets `require()` load TypeScript plugins (generated-plugins/, ./plugins/,
 * DEVLAKE_PLUGINS_PATH) without a build step, through swc, and resolves
 * `devlake-ts` / `devlake-ts/testing` to this toolkit wherever the plugin
 * lives, so a plugin and the runner always share one copy of the framework.
 */

let registered = false;

/** Entry files the package names resolve to. */
export interface ToolkitEntries {
  /** File for `devlake-ts`, e.g. `<root>/dist/index.js` or `<root>/src/index.ts`. */
  main: string;
  /** File for `devlake-ts/testing`. */
  testing: string;
}

/** The toolkit's own entries: compiled `dist/` when running compiled, `src/` when running from source. */
export function defaultToolkitEntries(): ToolkitEntries {
  const here = __dirname; // dist/runner or src/runner
  const root = path.resolve(here, '..', '..');
  const compiled = path.basename(path.dirname(here)) === 'dist' || fs.existsSync(path.join(here, 'ts-loader.js'));
  return compiled
    ? { main: path.join(root, 'dist', 'index.js'), testing: path.join(root, 'dist', 'testing', 'index.js') }
    : { main: path.join(root, 'src', 'index.ts'), testing: path.join(root, 'src', 'testing', 'index.ts') };
}

/** Installs the `.ts` require hook and the package-name resolution, once per process. */
export function registerTypeScript(entries: ToolkitEntries = defaultToolkitEntries()): void {
  if (registered) return;
  registered = true;
  // Lazy: swc is only needed when a TypeScript plugin is actually loaded.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const swc = require('@swc/core') as typeof import('@swc/core');
  const extensions = (Module as unknown as { _extensions: Record<string, (m: Module, f: string) => void> })._extensions;
  extensions['.ts'] = (module: Module, filename: string) => {
    const source = fs.readFileSync(filename, 'utf8');
    const { code } = swc.transformSync(source, {
      filename,
      sourceMaps: 'inline',
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    });
    (module as unknown as { _compile(code: string, filename: string): void })._compile(code, filename);
  };

  const mod = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = mod._resolveFilename;
  mod._resolveFilename = function (request: string, ...rest: unknown[]) {
    if (request === 'devlake-ts') return entries.main;
    if (request === 'devlake-ts/testing') return entries.testing;
    return original.call(this, request, ...rest);
  };
}
