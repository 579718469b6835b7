import * as fs from 'node:fs';
import * as path from 'node:path';

/** A plugin found on disk, not yet loaded. */
export interface PluginLocation {
  /** The directory name, which is the plugin's name. */
  name: string;
  /** The plugin directory. */
  dir: string;
  /** The module to require: index.ts, index.js or package.json's main. */
  entry: string;
}

/** The toolkit's root (where package.json is), from src/runner or dist/runner. */
export const TOOLKIT_ROOT = path.resolve(__dirname, '..', '..');

/** The example plugins bundled with the toolkit (icla, github). */
export const EXAMPLES_DIR = path.join(TOOLKIT_ROOT, 'generated-plugins');

/**
 * Whether the bundled examples are on the search path:
 * - `always`: yes (`--examples`, or `DEVLAKE_EXAMPLES=1`);
 * - `auto` (default): yes inside the toolkit's own checkout, or when the project has
 *   no plugins of its own (no `./plugins/`, no `DEVLAKE_PLUGINS_PATH`): `devlake run icla`
 *   works in the repository and in an empty folder, and a user's project never
 *   picks up `_tool_github_*` tables it did not ask for;
 * - `named-only`: as `auto`, minus the empty-folder case: only inside the checkout
 *   (`devlake migrate` without names migrates the project's own plugins).
 */
export type ExamplesMode = 'always' | 'auto' | 'named-only';

/**
 * Where plugins are looked for, first match wins: directories in
 * `DEVLAKE_PLUGINS_PATH` (path-delimiter separated), `./plugins/` of the
 * working directory, then the bundled examples when `examples` says so.
 */
export function pluginSearchPath(cwd = process.cwd(), envPath = process.env.DEVLAKE_PLUGINS_PATH, examples: ExamplesMode = defaultExamplesMode()): string[] {
  const own = envPath ? envPath.split(path.delimiter).filter(Boolean).map((d) => path.resolve(cwd, d)) : [];
  const dirs = [...own, path.join(cwd, 'plugins')];
  if (includeExamples(cwd, own.length > 0, examples)) dirs.push(EXAMPLES_DIR);
  return [...new Set(dirs)];
}

const examplesFromEnv = (): boolean => process.env.DEVLAKE_EXAMPLES === '1' || process.env.DEVLAKE_EXAMPLES === 'true';

function defaultExamplesMode(): ExamplesMode {
  return examplesFromEnv() ? 'always' : 'auto';
}

function includeExamples(cwd: string, hasPluginsPath: boolean, mode: ExamplesMode): boolean {
  if (mode === 'always' || examplesFromEnv()) return true;
  const rel = path.relative(TOOLKIT_ROOT, path.resolve(cwd));
  const inCheckout = rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel) && !rel.split(path.sep).includes('node_modules'));
  if (inCheckout) return true;
  if (mode === 'named-only') return false;
  return !hasPluginsPath && !fs.existsSync(path.join(cwd, 'plugins'));
}

/** The entry module of a plugin directory, or undefined when it has none. */
export function pluginEntry(dir: string): string | undefined {
  const pkgFile = path.join(dir, 'package.json');
  if (fs.existsSync(pkgFile)) {
    try {
      const main = (JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as { main?: string }).main;
      if (main && fs.existsSync(path.join(dir, main))) return path.join(dir, main);
    } catch {
      // A broken package.json falls back to the index files below.
    }
  }
  for (const file of ['index.ts', 'index.js']) {
    if (fs.existsSync(path.join(dir, file))) return path.join(dir, file);
  }
  return undefined;
}

/** Every plugin on the search path, by name (first directory wins). */
export function discoverPlugins(searchPath = pluginSearchPath()): PluginLocation[] {
  const found = new Map<string, PluginLocation>();
  for (const root of searchPath) {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(root, { withFileTypes: true });
    } catch {
      continue; // A missing search directory is normal (no ./plugins here).
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (!e.isDirectory() || e.name.startsWith('.') || e.name === 'node_modules' || found.has(e.name)) continue;
      const dir = path.join(root, e.name);
      const entry = pluginEntry(dir);
      if (entry) found.set(e.name, { name: e.name, dir, entry });
    }
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}
