import type { Config } from '../core/config';
import type { Dal } from '../core/dal';
import { DevlakeError, isDevlakeError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { ConnectionStore } from '../connections/connection-store';
import type { ScopeStore } from '../connections/scope-store';
import { configForTask } from '../connections/task-config';
import { FRAMEWORK_TABLES } from '../dal/framework-tables';
import { inProcessExecutor, preparePlan, runPipeline, type TaskExecutor } from '../pipeline/engine';
import type { PipelineSpec, PipelineTask } from '../pipeline/plan';
import { checkQueue, runPipelineOnQueue } from '../pipeline/queue-run';
import { PipelineStore, type PipelineRecord } from '../pipeline/store';
import { TaskLogHub } from './task-logs';

/** A task as the API shows it: its status and its subtasks done out of total. */
export interface PipelineTaskView {
  id: number;
  plugin: string;
  stage: number;
  status: string;
  message: string | null;
  errorCode: string | null;
  options: Record<string, unknown>;
  /** Subtasks finished (completed) and planned: the task's progress. */
  done: number;
  total: number;
  subtasks: Array<{ name: string; status: string; rowsWritten: number }>;
  beganAt: string | null;
  finishedAt: string | null;
}

/** A pipeline as the API shows it. */
export interface PipelineView {
  id: number;
  name: string;
  status: string;
  message: string | null;
  queue: string | null;
  /** The saved blueprint it was made from, if any. */
  blueprintId: number | null;
  beganAt: string | null;
  finishedAt: string | null;
  tasks: PipelineTaskView[];
}

/** One task of a plan as a client sends it: a plugin with a saved connection and scope, or bare options. */
export interface PlanTaskInput {
  plugin: string;
  connectionId?: number;
  scopeId?: string;
  options?: Record<string, unknown>;
  subtasks?: string[];
}

const FINAL = new Set(['COMPLETED', 'PARTIAL', 'FAILED', 'CANCELLED']);
const iso = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

/**
 * Pipelines over HTTP, on the same engine as `devlake pipeline run`
 * (src/pipeline): the plan is checked and its plugins migrated before the
 * pipeline row exists, then it runs in this process in the background. Each
 * task runs with its own logger (the SSE log stream) and, when its options
 * name a saved `connectionId`, with that connection's configuration.
 */
export class PipelineService {
  readonly logs: TaskLogHub;
  readonly #dal: Dal;
  readonly #config: Config;
  readonly #logger: Logger;
  readonly #connections: ConnectionStore;
  readonly #scopes: ScopeStore;
  readonly #searchPath?: string[];
  readonly #queue?: string;
  readonly #running = new Map<number, { controller: AbortController; done: Promise<void> }>();

  /** `queue`: a Redis URL; pipelines then go to `devlake worker` processes (BullMQ) instead of running here. */
  constructor(opts: { dal: Dal; config: Config; logger: Logger; connections: ConnectionStore; scopes: ScopeStore; searchPath?: string[]; queue?: string }) {
    this.#queue = opts.queue;
    this.logs = new TaskLogHub({ dal: opts.dal });
    this.#dal = opts.dal;
    this.#config = opts.config;
    this.#logger = opts.logger;
    this.#connections = opts.connections;
    this.#scopes = opts.scopes;
    this.#searchPath = opts.searchPath;
  }

  /** Resolves saved scopes into options, checks the plan, creates the pipeline and starts it. */
  async create(input: { name?: string; plan: PlanTaskInput[][]; skipOnFail?: boolean; fullSync?: boolean; blueprint?: string }): Promise<PipelineView> {
    const plan: PipelineTask[][] = [];
    for (const stage of input.plan) {
      const tasks: PipelineTask[] = [];
      for (const t of stage) tasks.push(await this.#resolveTask(t));
      plan.push(tasks);
    }
    return this.createFromSpec({ name: input.name, plan, skipOnFail: input.skipOnFail, fullSync: input.fullSync, blueprint: input.blueprint });
  }

  /** Checks an engine plan (a blueprint's), creates the pipeline and starts it; `blueprintId` links it to a saved blueprint. */
  async createFromSpec(spec: PipelineSpec, opts: { blueprintId?: number } = {}): Promise<PipelineView> {
    await preparePlan(spec, { dal: this.#dal, searchPath: this.#searchPath, logger: this.#logger });
    if (this.#queue) await checkQueue(this.#queue); // DEVLAKE_E_QUEUE_CONNECT before a pipeline row exists
    const id = await new PipelineStore(this.#dal).create(spec, { queue: this.#queue ? 'devlake' : undefined });
    if (opts.blueprintId !== undefined) await this.#dal.knex(FRAMEWORK_TABLES.pipelines).where({ id }).update({ blueprint_id: opts.blueprintId });
    await this.#start(id, false);
    return this.get(id);
  }

  /** Runs again the tasks of a finished pipeline that did not complete. */
  async rerun(id: number): Promise<PipelineView> {
    const p = await this.get(id);
    if (!FINAL.has(p.status) || this.#running.has(id)) {
      throw new DevlakeError('DEVLAKE_E_PIPELINE_RUNNING', `Pipeline ${id} is ${p.status}: wait for it to end, or cancel it`, { hint: `POST /pipelines/${id}/cancel` });
    }
    await this.#start(id, true);
    return this.get(id);
  }

  /** Asks the pipeline's running tasks to stop at their next batch (any process running them polls for it). */
  async cancel(id: number): Promise<PipelineView> {
    await new PipelineStore(this.#dal).requestCancel(id);
    this.#running.get(id)?.controller.abort();
    return this.get(id);
  }

  async get(id: number): Promise<PipelineView> {
    const record = await new PipelineStore(this.#dal).get(id);
    return (await this.#views([record]))[0];
  }

  /** The newest pipelines first; with `blueprintId`, those made from that blueprint. */
  async list(limit = 20, filter: { blueprintId?: number } = {}): Promise<PipelineView[]> {
    if (!(await this.#dal.hasTable(FRAMEWORK_TABLES.pipelines))) return [];
    const query = this.#dal.knex(FRAMEWORK_TABLES.pipelines).select('id').orderBy('id', 'desc').limit(limit);
    if (filter.blueprintId !== undefined) void query.where({ blueprint_id: filter.blueprintId });
    const ids = ((await query) as Array<{ id: number | string }>).map((r) => Number(r.id));
    const store = new PipelineStore(this.#dal);
    const records: PipelineRecord[] = [];
    for (const id of ids) records.push(await store.get(id));
    return this.#views(records);
  }

  /** The status of a task row, or undefined when there is none. */
  async taskStatus(taskId: number): Promise<string | undefined> {
    const [row] = (await this.#dal.knex(FRAMEWORK_TABLES.tasks).where({ id: taskId }).select('status')) as Array<{ status: string }>;
    return row?.status;
  }

  /** Cancels what this server runs and waits for it to stop (server shutdown). */
  async close(): Promise<void> {
    for (const r of this.#running.values()) r.controller.abort();
    await Promise.all([...this.#running.values()].map((r) => r.done));
  }

  /** Checks that the queue's Redis answers (for /health). */
  async pingQueue(): Promise<void> {
    if (this.#queue) await checkQueue(this.#queue);
  }

  /** True when pipelines go to queue workers. */
  get onQueue(): boolean {
    return !!this.#queue;
  }

  /** In process: runs in the background. On a queue: enqueues the first stage to run and returns (workers chain the rest). */
  async #start(id: number, onlyIncomplete: boolean): Promise<void> {
    if (this.#queue) {
      if (onlyIncomplete) await new PipelineStore(this.#dal).setPipeline(id, { cancel_requested: false, queue: 'devlake' });
      await runPipelineOnQueue({ dal: this.#dal, pipelineId: id, redisUrl: this.#queue, logger: this.#logger, detach: true });
      return;
    }
    const controller = new AbortController();
    const done = runPipeline({ dal: this.#dal, pipelineId: id, executor: this.#executor(), logger: this.#logger, signal: controller.signal, onlyIncomplete })
      .then(
        () => undefined,
        (err: unknown) => this.#logger.error(`pipeline ${id} stopped: ${isDevlakeError(err) ? `${err.code} ` : ''}${(err as Error).message}`),
      )
      .finally(() => this.#running.delete(id));
    this.#running.set(id, { controller, done });
  }

  /** The engine's in-process executor, per task with the task's log and its saved connection. */
  #executor(): TaskExecutor {
    return async (task, pipeline, signal) => {
      const logger = this.logs.loggerFor(task.id, this.#logger);
      try {
        // A connection deleted since the plan was made fails the task here (the CLI would fall back to the environment).
        const config = await configForTask(this.#dal, this.#config, task.plugin, task.options, true);
        await inProcessExecutor({ dal: this.#dal, logger, config, searchPath: this.#searchPath, resolveConnection: false })(task, pipeline, signal);
      } catch (err) {
        // A connection that vanished or cannot be decrypted fails this task, not the pipeline engine.
        logger.error(`task could not start: ${(err as Error).message}`);
        await new PipelineStore(this.#dal).setTask(task.id, {
          status: 'FAILED',
          error_code: isDevlakeError(err) ? err.code : 'DEVLAKE_E_INTERNAL',
          message: (err as Error).message,
          finished_at: new Date(),
        });
      } finally {
        await this.logs.flush(task.id);
        this.logs.finish(task.id, (await this.taskStatus(task.id)) ?? 'FAILED');
      }
    };
  }

  /** A client's task → the engine's: the saved scope's options, then the explicit ones, then `connectionId`. */
  async #resolveTask(t: PlanTaskInput): Promise<PipelineTask> {
    let options: Record<string, unknown> = {};
    if (t.connectionId !== undefined) {
      await this.#connections.get(t.plugin, t.connectionId); // exists, or a clear 404
      if (t.scopeId !== undefined) options = { ...(await this.#scopes.getScope(t.plugin, t.connectionId, t.scopeId)).options };
    } else if (t.scopeId !== undefined) {
      throw new DevlakeError('DEVLAKE_E_PIPELINE_PLAN', `Task of plugin "${t.plugin}" names scope "${t.scopeId}" without a connectionId`, {
        hint: 'Give the connectionId the scope was saved under.',
        data: { field: 'connectionId' },
      });
    }
    options = { ...options, ...t.options };
    if (t.connectionId !== undefined) options.connectionId = t.connectionId;
    return { plugin: t.plugin, options, ...(t.subtasks?.length ? { subtasks: t.subtasks } : {}) };
  }

  async #views(records: PipelineRecord[]): Promise<PipelineView[]> {
    const blueprintIds = new Map(
      records.length
        ? ((await this.#dal.knex(FRAMEWORK_TABLES.pipelines).whereIn('id', records.map((p) => p.id)).select('id', 'blueprint_id')) as Array<{ id: number | string; blueprint_id: number | string | null }>).map(
            (r) => [Number(r.id), r.blueprint_id === null ? null : Number(r.blueprint_id)],
          )
        : [],
    );
    const taskIds = records.flatMap((p) => p.tasks.map((t) => t.id));
    const subtasks = taskIds.length
      ? ((await this.#dal.knex(FRAMEWORK_TABLES.subtasks).whereIn('task_id', taskIds).orderBy([{ column: 'task_id' }, { column: 'number' }])) as Array<{
          task_id: number | string;
          name: string;
          status: string;
          rows_written: number | string | null;
        }>)
      : [];
    return records.map((p) => ({
      id: p.id,
      name: p.name,
      status: p.status,
      message: p.message,
      queue: p.queue,
      blueprintId: blueprintIds.get(p.id) ?? null,
      beganAt: iso(p.beganAt),
      finishedAt: iso(p.finishedAt),
      tasks: p.tasks.map((t) => {
        const subs = subtasks.filter((s) => Number(s.task_id) === t.id).map((s) => ({ name: s.name, status: s.status, rowsWritten: Number(s.rows_written ?? 0) }));
        return {
          id: t.id,
          plugin: t.plugin,
          stage: t.row,
          status: t.status,
          message: t.message,
          errorCode: t.errorCode,
          options: t.options,
          done: subs.filter((s) => s.status === 'COMPLETED').length,
          total: subs.length,
          subtasks: subs,
          beganAt: iso(t.beganAt),
          finishedAt: iso(t.finishedAt),
        };
      }),
    }));
  }
}
