import { DevlakeError } from '../core/errors';
import type { Plugin } from '../core/plugin';
import type { PipelinePlan, PipelineSpec, PipelineTask } from './plan';

/** One plugin's connection in a blueprint, with the scopes to collect (DevLake's `BlueprintConnection`). */
export interface BlueprintConnection {
  plugin: string;
  connectionId?: number;
  /** Each scope becomes the options of one task (merged over `connectionId` and `scopeConfig`). */
  scopes: Array<Record<string, unknown>>;
  /** Transformation rules given to every task of this connection as `scopeConfig`. */
  scopeConfig?: Record<string, unknown>;
  /** Subtasks of every task of this connection (default: those enabled by default). */
  subtasks?: string[];
}

/** A blueprint: connections × scopes on a cron, with a sync policy (DevLake's blueprint, file form). */
export interface Blueprint {
  name: string;
  project?: string;
  connections: BlueprintConnection[];
  /** Tasks run in a stage after the collection, e.g. `[{plugin: 'dora', options: {projectName}}]`. */
  after?: PipelineTask[];
  /** Cron expression for `devlake blueprint schedule` (5 or 6 fields). */
  cron?: string;
  syncPolicy?: { fullSync?: boolean; timeAfter?: string; skipOnFail?: boolean; skipCollectors?: boolean };
}

/**
 * Optional plugin member, as DevLake's `MakePipelinePlan`: the stages of the
 * plan for one connection of a blueprint.
 */
export interface PluginBlueprint {
  /**
   * Implement to shape the plan of a connection yourself (e.g. one task per
   * scope plus a stage-2 task per connection). Default: one task per scope in
   * stage 1, options `{connectionId, ...scope, scopeConfig}`. Called once per
   * blueprint run; must not write anything.
   * @example makePipelinePlan: (c) => [c.scopes.map((s) => ({ plugin: 'github', options: { connectionId: c.connectionId, name: s.name } }))]
   */
  makePipelinePlan(connection: BlueprintConnection, blueprint: Blueprint): PipelinePlan;
}

const bpError = (message: string, source: string) => new DevlakeError('DEVLAKE_E_BLUEPRINT', `${source}: ${message}`, { hint: 'See `devlake blueprint run --help` for the blueprint format.' });

/** Checks a parsed blueprint file; names the first problem. */
export function toBlueprint(value: unknown, source = 'blueprint'): Blueprint {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bpError('expected an object {name, connections, …}', source);
  const b = value as Record<string, unknown>;
  if (typeof b.name !== 'string' || !b.name) throw bpError('"name" is required', source);
  if (!Array.isArray(b.connections) || b.connections.length === 0) throw bpError('"connections" must list at least one {plugin, scopes}', source);
  b.connections.forEach((c, i) => {
    const conn = c as Record<string, unknown>;
    if (typeof conn?.plugin !== 'string') throw bpError(`connection ${i + 1} has no "plugin"`, source);
    if (!Array.isArray(conn.scopes) || conn.scopes.some((s) => typeof s !== 'object' || s === null || Array.isArray(s))) throw bpError(`connection ${i + 1}: "scopes" must be an array of objects`, source);
  });
  if (b.cron !== undefined && typeof b.cron !== 'string') throw bpError('"cron" must be a string', source);
  return value as Blueprint;
}

/** Parses a blueprint file (JSON, or YAML for .yaml/.yml). */
export function parseBlueprintText(text: string, source: string): Blueprint {
  let value: unknown;
  try {
    value = /\.ya?ml$/i.test(source) ? (require('yaml') as typeof import('yaml')).parse(text) : JSON.parse(text);
  } catch (err) {
    throw bpError(`not valid ${/\.ya?ml$/i.test(source) ? 'YAML' : 'JSON'}: ${(err as Error).message}`, source);
  }
  return toBlueprint(value, source);
}

function hasBlueprint(plugin: Plugin | undefined): plugin is Plugin & PluginBlueprint {
  return typeof (plugin as Partial<PluginBlueprint> | undefined)?.makePipelinePlan === 'function';
}

/** The default plan of one connection: one task per scope, all in stage 1. */
export function defaultConnectionPlan(c: BlueprintConnection): PipelinePlan {
  return [
    c.scopes.map((scope) => ({
      plugin: c.plugin,
      ...(c.subtasks?.length ? { subtasks: c.subtasks } : {}),
      options: { ...(c.connectionId !== undefined ? { connectionId: c.connectionId } : {}), ...scope, ...(c.scopeConfig ? { scopeConfig: c.scopeConfig } : {}) },
    })),
  ];
}

/**
 * A blueprint's pipeline: each connection's plan (its plugin's
 * `makePipelinePlan`, or one task per scope), stage i of every connection
 * merged into stage i, then the `after` tasks (enrichers such as dora) in a
 * stage of their own.
 */
export function makePlan(bp: Blueprint, plugins: ReadonlyMap<string, Plugin>): PipelineSpec {
  const stages: PipelinePlan = [];
  for (const c of bp.connections) {
    const plugin = plugins.get(c.plugin);
    const plan = hasBlueprint(plugin) ? plugin.makePipelinePlan(c, bp) : defaultConnectionPlan(c);
    plan.forEach((stage, i) => (stages[i] ??= []).push(...stage));
  }
  const plan = stages.filter((s) => s.length);
  if (bp.after?.length) plan.push(bp.after.map((t) => ({ ...t, options: t.options ?? {} })));
  const policy = bp.syncPolicy ?? {};
  return {
    name: bp.name,
    blueprint: bp.name,
    plan,
    skipOnFail: !!policy.skipOnFail,
    fullSync: !!policy.fullSync,
    ...(policy.timeAfter ? { timeAfter: new Date(policy.timeAfter) } : {}),
  };
}
