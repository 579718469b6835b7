import type { Dal } from '../core/dal';
import { DevlakeError, isDevlakeError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { Plugin } from '../core/plugin';
import type { ConnectionStore } from '../connections/connection-store';
import type { ScopeStore } from '../connections/scope-store';
import { tryAcquireLock } from '../dal/db-lock';
import { makePlan, type Blueprint } from '../pipeline/blueprint';
import type { PipelineSpec } from '../pipeline/plan';
import type { LoadedPlugin } from '../runner/load-plugin';
import { BlueprintStore, type BlueprintInput, type SavedBlueprint } from './blueprint-store';
import type { PipelineService, PipelineView } from './pipeline-service';

const FINAL = new Set(['COMPLETED', 'PARTIAL', 'FAILED', 'CANCELLED']);

/** A blueprint as the API answers it: with its next scheduled run. */
export type BlueprintView = SavedBlueprint & { nextRunAt: string | null };

/** True for a scope given as a reference to a saved one: `{scopeId}` and nothing else. */
const isScopeRef = (s: Record<string, unknown>): s is { scopeId: string } => typeof s.scopeId === 'string' && Object.keys(s).length === 1;

/**
 * Blueprints over HTTP, on the blueprint engine of `devlake blueprint run`
 * (src/pipeline/blueprint.ts: each plugin's makePipelinePlan, or one task per
 * scope, then the `after` stage) and the server's pipelines. Scopes may name
 * saved scopes (`{scopeId}`), read when the blueprint runs. A blueprint with a
 * cron runs on it while enabled and the server is up; a run never starts while
 * the previous one of the same blueprint is still going (as croner's protect
 * does for `devlake blueprint schedule`).
 */
export class BlueprintService {
  readonly store: BlueprintStore;
  readonly #dal: Dal;
  readonly #pipelines: PipelineService;
  readonly #connections: ConnectionStore;
  readonly #scopes: ScopeStore;
  readonly #plugins: ReadonlyMap<string, LoadedPlugin>;
  readonly #logger: Logger;
  readonly #jobs = new Map<number, import('croner').Cron>();
  #closed = false;

  constructor(opts: { dal: Dal; store: BlueprintStore; pipelines: PipelineService; connections: ConnectionStore; scopes: ScopeStore; plugins: ReadonlyMap<string, LoadedPlugin>; logger: Logger }) {
    this.store = opts.store;
    this.#dal = opts.dal;
    this.#pipelines = opts.pipelines;
    this.#connections = opts.connections;
    this.#scopes = opts.scopes;
    this.#plugins = opts.plugins;
    this.#logger = opts.logger;
  }

  async list(): Promise<BlueprintView[]> {
    return (await this.store.list()).map((b) => this.#view(b));
  }

  async get(id: number): Promise<BlueprintView> {
    return this.#view(await this.store.get(id));
  }

  /** Checks (plugins, connections, saved scopes, cron), saves, and schedules. */
  async create(input: BlueprintInput): Promise<BlueprintView> {
    await this.#check(input);
    const saved = await this.store.create(input);
    this.#schedule(saved);
    return this.#view(saved);
  }

  async update(id: number, patch: Partial<BlueprintInput>): Promise<BlueprintView> {
    const current = await this.store.get(id);
    await this.#check({ ...current, ...patch });
    const saved = await this.store.update(id, patch);
    this.#schedule(saved);
    return this.#view(saved);
  }

  /** Deletes the blueprint and its schedule; the pipelines it made stay. */
  async delete(id: number): Promise<BlueprintView> {
    const gone = await this.store.delete(id);
    this.#unschedule(id);
    return { ...gone, nextRunAt: null };
  }

  /** The engine's pipeline spec of a blueprint, saved scopes read now. */
  async plan(bp: SavedBlueprint): Promise<PipelineSpec> {
    const connections: Blueprint['connections'] = [];
    for (const [i, c] of bp.connections.entries()) {
      const scopes: Array<Record<string, unknown>> = [];
      for (const [j, s] of c.scopes.entries()) scopes.push(isScopeRef(s) ? await this.#savedScope(c.plugin, c.connectionId, s.scopeId, `connections.${i}.scopes.${j}`) : s);
      connections.push({ ...c, scopes });
    }
    const plugins = new Map<string, Plugin>();
    for (const c of connections) plugins.set(c.plugin, this.#plugin(c.plugin).plugin);
    return makePlan({ name: bp.name, project: bp.project, connections, after: bp.after, syncPolicy: bp.syncPolicy }, plugins);
  }

  /** Runs the blueprint now: its plan becomes a pipeline of this blueprint. */
  async trigger(id: number): Promise<PipelineView> {
    const bp = await this.store.get(id);
    return this.#pipelines.createFromSpec(await this.plan(bp), { blueprintId: id });
  }

  /** The newest pipelines made from the blueprint. */
  async pipelines(id: number, limit = 20): Promise<PipelineView[]> {
    await this.store.get(id); // a clear 404 for an unknown blueprint
    return this.#pipelines.list(limit, { blueprintId: id });
  }

  /** Schedules every saved blueprint that has a cron and is enabled (server start). */
  async start(): Promise<void> {
    for (const bp of await this.store.list()) this.#schedule(bp);
  }

  /** Stops every schedule (server shutdown); running pipelines are the pipeline service's. */
  close(): void {
    this.#closed = true;
    for (const id of [...this.#jobs.keys()]) this.#unschedule(id);
  }

  #view(bp: SavedBlueprint): BlueprintView {
    const next = this.#jobs.get(bp.id)?.nextRun();
    return { ...bp, nextRunAt: next ? next.toISOString() : null };
  }

  #schedule(bp: SavedBlueprint): void {
    this.#unschedule(bp.id);
    if (this.#closed || !bp.cron || !bp.enabled) return;
    const { Cron } = require('croner') as typeof import('croner');
    const job = new Cron(bp.cron, { protect: true, catch: true }, async () => this.runScheduled(bp.id));
    this.#jobs.set(bp.id, job);
  }

  #unschedule(id: number): void {
    this.#jobs.get(id)?.stop();
    this.#jobs.delete(id);
  }

  /**
   * What a cron tick does (public for tests of concurrent ticks). One scheduled run: skipped while the blueprint's last pipeline still
   * runs; failures go to the log. The check and the start hold a database
   * lock, so several servers over one database start one pipeline per tick.
   */
  async runScheduled(id: number): Promise<void> {
    let release = async () => undefined as unknown;
    try {
      const attempt = await tryAcquireLock(this.#dal, `blueprint-schedule:${id}`, { description: `devlake serve: scheduled run of blueprint ${id}` });
      if (!attempt.acquired) {
        this.#logger.info(`blueprint ${id}: another server is starting this scheduled run`);
        return;
      }
      release = () => attempt.lock.release();
      const [last] = await this.#pipelines.list(1, { blueprintId: id });
      if (last && !FINAL.has(last.status)) {
        this.#logger.info(`blueprint ${id}: pipeline ${last.id} is still ${last.status}, this scheduled run is skipped`);
        return;
      }
      const p = await this.trigger(id);
      this.#logger.info(`blueprint ${id}: scheduled run started pipeline ${p.id}`);
    } catch (err) {
      this.#logger.error(`blueprint ${id}: scheduled run failed: ${isDevlakeError(err) ? `${err.code} ` : ''}${(err as Error).message}`);
    } finally {
      await release().catch(() => undefined);
    }
  }

  /** Everything a run needs exists now: the plugins, the connections, the saved scopes; the cron parses. */
  async #check(bp: Omit<BlueprintInput, 'name'> & { name: string }): Promise<void> {
    for (const [i, c] of bp.connections.entries()) {
      this.#plugin(c.plugin, `connections.${i}.plugin`);
      if (c.connectionId !== undefined) await this.#connections.get(c.plugin, c.connectionId);
      for (const [j, s] of c.scopes.entries()) if (isScopeRef(s)) await this.#savedScope(c.plugin, c.connectionId, s.scopeId, `connections.${i}.scopes.${j}`);
    }
    for (const [i, t] of (bp.after ?? []).entries()) this.#plugin(t.plugin, `after.${i}.plugin`);
    if (bp.cron) {
      const { Cron } = require('croner') as typeof import('croner');
      try {
        new Cron(bp.cron, { paused: true }).stop();
      } catch (err) {
        throw new DevlakeError('DEVLAKE_E_BLUEPRINT', `"cron" ${JSON.stringify(bp.cron)} is not a cron expression: ${(err as Error).message}`, {
          hint: 'Five or six fields, e.g. "0 2 * * *".',
          data: { field: 'cron' },
        });
      }
    }
  }

  #plugin(name: string, field?: string): LoadedPlugin {
    const hit = this.#plugins.get(name);
    if (!hit) {
      throw new DevlakeError('DEVLAKE_E_PLUGIN_NOT_FOUND', `No plugin named "${name}"`, {
        hint: `Loaded plugins: ${[...this.#plugins.keys()].join(', ') || 'none'} (GET /plugins).`,
        ...(field ? { data: { field } } : {}),
      });
    }
    return hit;
  }

  /** A saved scope's options, with its scope config's data as `scopeConfig` when it has one. */
  async #savedScope(plugin: string, connectionId: number | undefined, scopeId: string, field: string): Promise<Record<string, unknown>> {
    if (connectionId === undefined) {
      throw new DevlakeError('DEVLAKE_E_BLUEPRINT', `${field} names saved scope "${scopeId}", but its connection has no connectionId`, {
        hint: 'Give the connectionId the scope was saved under.',
        data: { field },
      });
    }
    const scope = await this.#scopes.getScope(plugin, connectionId, scopeId);
    const config = scope.scopeConfigId ? await this.#scopes.getScopeConfig(plugin, connectionId, scope.scopeConfigId) : undefined;
    return { ...scope.options, ...(config ? { scopeConfig: config.data } : {}) };
  }
}
