import type { Dal, MigrationScript } from './dal';
import type { Config } from './config';
import type { PluginConnection, PluginConnectionTester } from './connection';
import type { SubTaskContext, TaskContext } from './context';
import type { Logger } from './logger';
import type { ModelDef } from './model';

/**
 * The plugin contract: the TypeScript idiom of DevLake's plugin interfaces.
 * A plugin module's default export is one object implementing `PluginMeta`
 * plus any of the optional interfaces; they are checked structurally by the
 * type guards below, so a class instance or a plain object both work.
 */

/** One step of a plugin's pipeline, declared next to its entry point. */
export interface SubTaskMeta<TData = any> {
  /** Unique within the plugin, DevLake style: `Collect Issues`, `Extract Issues`. */
  name: string;
  /**
   * Implement to do the work: collect, extract or convert. Reads and writes
   * through `ctx.db`. It may run again for the same params, so it must be
   * idempotent (the helpers are). Stop at a batch boundary when
   * `ctx.signal` is aborted.
   */
  entryPoint(ctx: SubTaskContext<TData>): Promise<void>;
  /** Whether the subtask runs when `--subtasks` is not given. */
  enabledByDefault: boolean;
  /** One line shown by `devlake list`. */
  description: string;
  /** Domain types touched, e.g. `['CODE', 'TICKET']` (see `DomainTypes`). */
  domainTypes: string[];
  /** Names of subtasks that must run first, when both are selected. */
  dependencies?: string[];
}

/** Required: who the plugin is. */
export interface PluginMeta {
  /** The plugin's name: lower case, as used in `devlake run <name>` and table names. */
  name: string;
  /** One line shown by `devlake list`. */
  description: string;
}

/** Shared resources given to `init`. */
export interface BasicRes {
  config: Config;
  logger: Logger;
  db: Dal;
}

/** Optional one-time set-up. */
export interface PluginInit {
  /** Implement to set up once per process, before any task. Default: nothing. */
  init(basicRes: BasicRes): Promise<void> | void;
}

/** The pipeline and the data its subtasks share. */
export interface PluginTask<TOptions = any, TData = any> {
  /**
   * Implement to list the subtasks, in the order they run. Each is a
   * `SubTaskMeta` declared in its own file.
   *
   * @example
   * subTaskMetas() { return [CollectCommitterMeta, ExtractCommitterMeta]; }
   */
  subTaskMetas(): SubTaskMeta<TData>[];
  /**
   * Implement to validate the task options and build what every subtask needs
   * (scope params, the API client). Called once per run, before the first
   * subtask. Throw a DevlakeError with a hint on bad options.
   */
  prepareTaskData(taskCtx: TaskContext<TOptions>, options: TOptions): Promise<TData> | TData;
}

/** Versioned schema changes. */
export interface PluginMigration {
  /** Implement to list every migration script of the plugin; they run in version order, once each. */
  migrationScripts(): MigrationScript[];
}

/** The tables this plugin owns. */
export interface PluginModel {
  /** Implement to list the plugin's tool tables, for other plugins and tools. */
  getTablesInfo(): ModelDef<any>[];
}

/** What `devlake serve` gives a plugin's HTTP handler besides the request. */
export interface ApiResourceContext {
  db: Dal;
  /** Scoped to the plugin; lines are redacted. */
  logger: Logger;
  config: Config;
  /** A saved connection of this plugin, secrets in clear (never return them), by id or name. */
  openConnection(idOrName: number | string): Promise<PluginConnection>;
}

/** An HTTP handler for connection resources. */
export type ApiResourceHandler = (input: {
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  /** Given by `devlake serve` (absent when a test calls the handler directly). */
  context?: ApiResourceContext;
}) => Promise<{ status?: number; body: unknown }>;

/** HTTP handlers for connections (test, get, save). */
export interface PluginApi {
  /**
   * Implement to expose resources of the plugin's own (DevLake's
   * `ApiResources`): `devlake serve` mounts each under
   * `/plugins/<plugin>/<path>`, with `:name` path params, e.g.
   * `{ 'connections/:connectionId/remote-scopes': { GET: handler } }`. A
   * path and method the server already serves (connections, scopes, test)
   * keeps the server's route. Answers are JSON; never put a connection's
   * secret in one. Default: none.
   */
  apiResources(): Record<string, Record<string, ApiResourceHandler>>;
}

/** Releases what `prepareTaskData` acquired. */
export interface CloseablePluginTask {
  /** Implement to release clients after the last subtask, whatever the outcome. */
  close(taskCtx: TaskContext): Promise<void> | void;
}

/** A loaded plugin: meta plus any optional interface. */
export type Plugin = PluginMeta &
  Partial<PluginInit> &
  Partial<PluginConnectionTester> &
  Partial<PluginTask> &
  Partial<PluginMigration> &
  Partial<PluginModel> &
  Partial<PluginApi> &
  Partial<CloseablePluginTask>;

const isFn = (v: unknown): boolean => typeof v === 'function';
const obj = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;

export function isPluginMeta(v: unknown): v is PluginMeta {
  const o = obj(v);
  return !!o && typeof o.name === 'string' && typeof o.description === 'string';
}
export function isPluginInit(v: unknown): v is PluginInit {
  return isFn(obj(v)?.init);
}
export function isPluginTask(v: unknown): v is PluginTask {
  const o = obj(v);
  return !!o && isFn(o.subTaskMetas) && isFn(o.prepareTaskData);
}
export function isPluginMigration(v: unknown): v is PluginMigration {
  return isFn(obj(v)?.migrationScripts);
}
export function isPluginModel(v: unknown): v is PluginModel {
  return isFn(obj(v)?.getTablesInfo);
}
export function isPluginApi(v: unknown): v is PluginApi {
  return isFn(obj(v)?.apiResources);
}
export function isCloseablePluginTask(v: unknown): v is CloseablePluginTask {
  return isFn(obj(v)?.close);
}
export function isSubTaskMeta(v: unknown): v is SubTaskMeta {
  const o = obj(v);
  return (
    !!o &&
    typeof o.name === 'string' &&
    isFn(o.entryPoint) &&
    typeof o.enabledByDefault === 'boolean' &&
    typeof o.description === 'string' &&
    Array.isArray(o.domainTypes)
  );
}

/** DevLake's domain types, for `SubTaskMeta.domainTypes`. */
export const DomainTypes = {
  CODE: 'CODE',
  TICKET: 'TICKET',
  CODE_REVIEW: 'CODEREVIEW',
  CROSS: 'CROSS',
  CICD: 'CICD',
  CODE_QUALITY: 'CODEQUALITY',
} as const;

/** Identity helper that type-checks a plugin definition. */
export function definePlugin<TOptions = any, TData = any>(
  plugin: PluginMeta &
    PluginTask<TOptions, TData> &
    Partial<PluginInit & PluginMigration & PluginModel & PluginApi & CloseablePluginTask & PluginConnectionTester>,
) {
  return plugin;
}

/** Identity helper that type-checks a subtask definition. */
export function defineSubTask<TData>(meta: SubTaskMeta<TData>): SubTaskMeta<TData> {
  return meta;
}
