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

/**
 * Where plugins are looked for, first match wins: directories in
 * `DEVLAKE_PLUGINS_PATH` (path-delimiter separated), `./plugins/` of the
 * working directory, then the toolkit's own `generated-plugins/`.
 */
export function pluginSearchPath(cwd = process.cwd(), envPath = process.env.DEVLAKE_PLUGINS_PATH): string[] {
  const dirs = [
    ...(envPath ? envPath.split(path.delimiter).filter(Boolean).map((d) => path.resolve(cwd, d)) : []),
    path.join(cwd, 'plugins'),
    path.join(TOOLKIT_ROOT, 'generated-plugins'),
  ];
  return [...new Set(dirs)];
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
