import { DevlakeError } from '../core/errors';
import { names } from '../core/naming';
import { registerInSource, type Registration } from './register';
import { validateName } from './validate';
import type { GeneratedFile } from './write-files';

/**
 * What every planner shares: the read-only view of the plugins folder, the
 * plugin check, registrations and migration versions. Pure apart from reading
 * through the view.
 */

/** Read-only access to the plugins folder, paths relative to it with `/`. */
export interface PluginsView {
  read(path: string): string | undefined;
  /** File names directly inside a folder (empty when it does not exist). */
  list(dir: string): string[];
}

/** `YYYYMMDDHHmmss` in UTC, DevLake's migration version convention. */
export function migrationVersion(now = new Date()): number {
  return Number(now.toISOString().replace(/[-:T]/g, '').slice(0, 14));
}

/** The plugin's index.ts, or DEVLAKE_E_GEN_PLUGIN_MISSING when `plugin` is not in the plugins folder. */
export function requirePlugin(view: PluginsView, plugin: string): string {
  validateName('plugin', plugin);
  const index = view.read(`${plugin}/index.ts`);
  if (index === undefined) {
    throw new DevlakeError('DEVLAKE_E_GEN_PLUGIN_MISSING', `No plugin "${plugin}" here (no ${plugin}/index.ts)`, {
      hint: `Create it first with: devlake create-plugin ${plugin} (or pass --dir where it lives)`,
    });
  }
  return index;
}

/** A file the plan edits, or DEVLAKE_E_GEN_REGISTER when it is missing. */
export function requireFile(view: PluginsView, path: string): string {
  const text = view.read(path);
  if (text === undefined) {
    throw new DevlakeError('DEVLAKE_E_GEN_REGISTER', `${path} is missing, so nothing can be registered in it`, {
      hint: 'Restore it (devlake create-plugin <name> --force rewrites the plugin skeleton) and run the command again.',
    });
  }
  return text;
}

/** Applies registrations to a file's text; the result is an `edit` file (identical when already registered). */
export function registered(path: string, source: string, registrations: Registration[]): GeneratedFile {
  const content = registrations.reduce((text, r) => registerInSource(text, path, r), source);
  return { path, content, policy: 'edit' };
}

/** The plugin's names as templates use them. */
export function pluginContext(plugin: string) {
  const n = names(plugin);
  return { plugin, pluginClass: n.className, pluginConstant: n.constantName, pluginSnake: n.snakeName };
}

/** Now, or one past the plugin's newest migration when that is later: versions stay unique and increasing. */
export function nextVersion(view: PluginsView, plugin: string): number {
  const existing = view
    .list(`${plugin}/migrations`)
    .filter((f) => /^\d{14}-/.test(f))
    .map((f) => Number(f.slice(0, 14)));
  return Math.max(migrationVersion(), ...existing.map((v) => v + 1));
}

/** An existing migration of the plugin whose file ends with `-<suffix>.ts`: its version is reused. */
export function existingMigration(view: PluginsView, plugin: string, suffix: string): number | undefined {
  const hit = view.list(`${plugin}/migrations`).find((f) => f.endsWith(`-${suffix}.ts`) && /^\d{14}-/.test(f));
  return hit ? Number(hit.slice(0, 14)) : undefined;
}

/**
 * The collector named by `value`: its name (`committer`) or its raw table
 * (`_raw_icla_committer`), since the question is which raw table is read.
 */
export function collectorName(plugin: string, value: string): string {
  const prefix = `_raw_${names(plugin).snakeName}_`;
  return validateName('collector', value.startsWith(prefix) ? value.slice(prefix.length) : value);
}

/** The tool model named by `value`: its name (`committer`) or its tool table (`_tool_icla_committer`). */
export function modelName(plugin: string, value: string): string {
  const prefix = `_tool_${names(plugin).snakeName}_`;
  return validateName('model', value.startsWith(prefix) ? value.slice(prefix.length) : value);
}

/** `Issues` → `Issue`, `PullRequests` → `PullRequest`, `Branches` → `Branch`, `Activities` → `Activity`; `Status` stays. */
export function singular(className: string): string {
  const m = /^(.*?)([A-Z]?[a-z0-9]*)$/.exec(className)!;
  const [head, word] = [m[1]!, m[2]!];
  if (/^(Series|Species|News)$/.test(word)) return className;
  if (/[^aeiou]ies$/.test(word)) return `${head}${word.slice(0, -3)}y`;
  if (/(ss|sh|ch|x|z|us)es$/.test(word)) return `${head}${word.slice(0, -2)}`;
  if (/(ss|us|is)$/.test(word) || !word.endsWith('s') || word.length < 3) return className;
  return `${head}${word.slice(0, -1)}`;
}

/**
 * The model's class: the plugin's and the model's names, singular as DevLake's
 * structs are (`GithubIssue` for `_tool_github_issues`, so domain ids read
 * `github:GithubIssue:…` as DevLake's do); an existing model file's own name wins.
 */
export function modelClassName(plugin: string, model: string, existing?: string): string {
  const declared = existing === undefined ? undefined : /^export const (\w+) = define(?:Table|Model)\b/m.exec(existing)?.[1];
  return declared ?? `${names(plugin).className}${singular(names(model).className)}`;
}
