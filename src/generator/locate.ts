import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PluginsView } from './plan';

/**
 * Where plugins are written: `generated-plugins/` inside a devlake-ts
 * checkout, `./plugins/` anywhere else (a user's project with the package
 * installed), matching where the runner looks for them.
 */
export function defaultPluginsDir(cwd = process.cwd()): string {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'devlake-ts') {
          return path.join(dir, 'generated-plugins');
        }
      } catch {
        // An unreadable package.json is not a toolkit checkout.
      }
      break;
    }
    if (path.dirname(dir) === dir) break;
  }
  return path.join(path.resolve(cwd), 'plugins');
}

/** A read-only view of a plugins folder for the planner. */
export function fsView(root: string): PluginsView {
  return {
    read(file) {
      try {
        return fs.readFileSync(path.join(root, file), 'utf8');
      } catch {
        return undefined;
      }
    },
    list(dir) {
      try {
        return fs.readdirSync(path.join(root, dir)).sort();
      } catch {
        return [];
      }
    },
  };
}

/** `--dir` resolved against the working directory, or the default plugins folder. */
export function pluginsRoot(dir: string | undefined, cwd = process.cwd()): string {
  return dir ? path.resolve(cwd, dir) : defaultPluginsDir(cwd);
}
