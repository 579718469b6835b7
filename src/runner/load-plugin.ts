import { DevlakeError, hasErrorCode } from '../core/errors';
import type { Plugin, SubTaskMeta } from '../core/plugin';
import { isPluginMeta, isPluginMigration, isPluginTask, isSubTaskMeta } from '../core/plugin';
import type { PluginLocation } from './discover';
import { discoverPlugins, EXAMPLES_DIR, pluginSearchPath } from './discover';
import { registerTypeScript } from './ts-loader';

/** A plugin module loaded and checked against the contract. */
export interface LoadedPlugin {
  location: PluginLocation;
  plugin: Plugin;
}

/** Finds a plugin by name on the search path, or fails naming the plugins that exist. */
export function findPlugin(name: string, searchPath = pluginSearchPath()): PluginLocation {
  const all = discoverPlugins(searchPath);
  const hit = all.find((p) => p.name === name);
  if (!hit) {
    // A bundled example left off the search path (a project with its own plugins): say how to ask for it.
    const example = !searchPath.includes(EXAMPLES_DIR) && discoverPlugins([EXAMPLES_DIR]).some((p) => p.name === name);
    throw new DevlakeError('DEVLAKE_E_PLUGIN_NOT_FOUND', `No plugin named "${name}"`, {
      hint: example
        ? `"${name}" is a bundled example plugin, found only when asked for: add --examples (or set DEVLAKE_EXAMPLES=1).`
        : all.length
        ? `Available plugins: ${all.map((p) => p.name).join(', ')} (searched ${searchPath.join(', ')}).`
        : `No plugins found in ${searchPath.join(', ')}; create one with \`devlake create-plugin <name>\`.`,
    });
  }
  return hit;
}

/** Requires a plugin module (TypeScript or JavaScript) and validates it. */
export function loadPlugin(location: PluginLocation): LoadedPlugin {
  registerTypeScript();
  let mod: unknown;
  try {
    mod = require(location.entry);
  } catch (err) {
    // A file that does not compile already says where (ts-loader): keep its one line and its verbose-only cause.
    if (hasErrorCode(err, 'DEVLAKE_E_PLUGIN_LOAD') && err.data.verboseCause) {
      throw new DevlakeError('DEVLAKE_E_PLUGIN_LOAD', `Plugin "${location.name}" does not compile: ${err.message}`, {
        hint: err.hint,
        cause: err.cause,
        data: err.data,
      });
    }
    throw new DevlakeError('DEVLAKE_E_PLUGIN_LOAD', `Plugin "${location.name}" failed to load from ${location.entry}: ${(err as Error).message}`, {
      hint: 'Fix the error in the plugin module; `npx tsc --noEmit` in the plugin shows type errors.',
      cause: err,
    });
  }
  const plugin = ((mod as { default?: unknown })?.default ?? mod) as Plugin;
  validatePlugin(location.name, plugin);
  return { location, plugin };
}

/** Checks a plugin object against the contract; names every missing member at once. */
export function validatePlugin(name: string, plugin: unknown): asserts plugin is Plugin {
  const problems: string[] = [];
  if (!isPluginMeta(plugin)) problems.push('`name` and `description` strings (PluginMeta)');
  if (!isPluginTask(plugin)) problems.push('`subTaskMetas()` and `prepareTaskData()` (PluginTask)');
  const p = plugin as Partial<Plugin> | undefined;
  if (p && typeof p.migrationScripts !== 'undefined' && !isPluginMigration(plugin)) problems.push('`migrationScripts` must be a function');
  if (isPluginTask(plugin)) {
    let metas: unknown;
    try {
      metas = plugin.subTaskMetas();
    } catch (err) {
      problems.push(`subTaskMetas() threw: ${(err as Error).message}`);
    }
    if (metas !== undefined) {
      if (!Array.isArray(metas)) problems.push('subTaskMetas() must return an array');
      else {
        metas.forEach((m, i) => {
          if (!isSubTaskMeta(m)) problems.push(`subtask #${i + 1} needs name, entryPoint(), enabledByDefault, description, domainTypes`);
        });
        problems.push(...dependencyProblems(metas.filter(isSubTaskMeta)));
      }
    }
  }
  if (problems.length) {
    throw new DevlakeError('DEVLAKE_E_PLUGIN_INVALID', `Plugin "${name}" does not satisfy the plugin contract: missing ${problems.join('; ')}`, {
      hint: 'Export the plugin object as the default export (see docs: "Plugin contract").',
    });
  }
}

/**
 * Subtasks run in the order listed, so a dependency must name a subtask listed
 * before its dependent (DevLake declares the same order through `Dependencies`).
 */
function dependencyProblems(metas: SubTaskMeta[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const all = new Set(metas.map((m) => m.name));
  for (const m of metas) {
    for (const dep of m.dependencies ?? []) {
      if (!all.has(dep)) problems.push(`subtask "${m.name}" depends on unknown subtask "${dep}"`);
      else if (!seen.has(dep)) problems.push(`subtask "${m.name}" depends on "${dep}", which is listed after it in subTaskMetas()`);
    }
    seen.add(m.name);
  }
  return problems;
}

/**
 * The subtasks to run: those enabled by default, or exactly the names asked
 * for (in the plugin's order). An unknown name is a usage error listing the valid ones.
 */
export function selectSubtasks(metas: SubTaskMeta[], wanted?: string[]): SubTaskMeta[] {
  if (!wanted || wanted.length === 0) return metas.filter((m) => m.enabledByDefault);
  const names = new Set(metas.map((m) => m.name));
  const norm = (s: string) => s.trim().toLowerCase().replace(/[\s_-]+/g, '');
  const byNorm = new Map(metas.map((m) => [norm(m.name), m.name]));
  const chosen = new Set<string>();
  const unknown: string[] = [];
  for (const w of wanted) {
    const hit = names.has(w) ? w : byNorm.get(norm(w));
    if (hit) chosen.add(hit);
    else unknown.push(w);
  }
  if (unknown.length) {
    throw new DevlakeError('DEVLAKE_E_SUBTASK_UNKNOWN', `Unknown subtask${unknown.length > 1 ? 's' : ''}: ${unknown.map((u) => `"${u}"`).join(', ')}`, {
      hint: `Valid subtasks: ${metas.map((m) => m.name).join(', ')}.`,
    });
  }
  return metas.filter((m) => chosen.has(m.name));
}
