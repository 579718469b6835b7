import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NextStepsInput } from './next-steps';
import type { PluginsView } from './plan-common';

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

/** The user's project around the working directory: its package.json, unless it is the toolkit's own checkout. */
export interface UserProject {
  /** The folder holding package.json. */
  dir: string;
  /** package.json's path. */
  file: string;
  /** Its text. */
  text: string;
}

/** The nearest package.json upwards from `cwd` that is not devlake-ts itself, or undefined. */
export function findUserProject(cwd = process.cwd()): UserProject | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const text = fs.readFileSync(file, 'utf8');
      try {
        if ((JSON.parse(text) as { name?: string }).name === 'devlake-ts') return undefined;
      } catch {
        // Not JSON: still the user's project; adding the script reports it.
      }
      return { dir, file, text };
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Whether the project's package.json has the plugin's `test:<plugin>` script. */
export function hasTestScript(project: UserProject | undefined, plugin: string): boolean {
  if (!project) return false;
  try {
    const scripts = (JSON.parse(project.text) as { scripts?: Record<string, unknown> }).scripts;
    return typeof scripts?.[`test:${plugin}`] === 'string';
  } catch {
    return false;
  }
}

/** What the next-steps lines need about the plugin's place in the user's project. */
export function nextStepsInput(root: string, plugin: string, dir: string | undefined, cwd = process.cwd()): NextStepsInput {
  const project = findUserProject(cwd);
  const full = path.join(root, plugin);
  const rel = path.relative(project?.dir ?? cwd, full);
  const pluginDir = rel.startsWith('..') || path.isAbsolute(rel) ? full : rel.split(path.sep).join('/');
  return { plugin, dir, pluginDir, testScript: hasTestScript(project, plugin) };
}
