import type { Config } from '../core/config';
import type { Dal } from '../core/dal';
import type { Logger } from '../core/logger';
import { cancelledError, isDevlakeError } from '../core/errors';
import { redact } from '../core/redact';
import { configForTask } from '../connections/task-config';
import { dialectOf } from '../dal/dialects';
import type { PipelineSpec } from './plan';
import type { PipelineRecord, PipelineStatus, PipelineTaskRecord } from './store';
import { PipelineStore } from './store';
import type { TaskConnections } from './task-connections';

/** What happens during a pipeline run, for progress displays and the server's event stream. */
export type PipelineEvent =
  | { type: 'pipeline-started'; pipelineId: number; stages: number; tasks: number }
  | { type: 'stage-started'; pipelineId: number; stage: number; tasks: number }
  | { type: 'task-started'; pipelineId: number; taskId: number; stage: number; plugin: string }
  | { type: 'task-finished'; pipelineId: number; taskId: number; stage: number; plugin: string; status: string; error?: { code: string; message: string } }
  | { type: 'pipeline-finished'; pipelineId: number; status: PipelineStatus };

/** One task's line of a pipeline summary. */
export interface PipelineTaskSummary {
  id: number;
  plugin: string;
  stage: number;
  status: string;
  attempts: number;
  options: Record<string, unknown>;
  error?: { code: string | null; message: string };
}

/** The outcome of a pipeline, as `devlake pipeline run|status --json` prints it. */
export interface PipelineSummary {
  pipelineId: number;
  name: string;
  status: PipelineStatus;
  queue: string | null;
  durationMs: number | null;
  tasks: PipelineTaskSummary[];
}

/** Runs one task of a pipeline (in this process, or on a worker); resolves when the task row is final. */
export type TaskExecutor = (task: PipelineTaskRecord, pipeline: PipelineRecord, signal: AbortSignal) => Promise<void>;

/** What the in-process executor needs to run a task exactly as `devlake run` does. */
export interface InProcessOptions {
  dal: Dal;
  logger: Logger;
  config: Config;
  searchPath?: string[];
  /**
   * The database URL: each task then opens its own connections, as a separate
   * `devlake run` would (a task holds a session for its run lock, so parallel
   * tasks on one pool would starve it). Without it, and always on SQLite (one writer at a time), tasks share `dal`.
   */
  dbUrl?: string;
  cwd?: string;
  /**
   * With `dbUrl`: where tasks take their connections and give them back, so
   * tasks run one after another reuse them (a worker's). Without it each task
   * opens and closes its own.
   */
  connections?: TaskConnections;
  /** Wait for the run lock of the task's plugin and options instead of failing (a worker resuming a dead worker's task). */
  waitForLock?: boolean;
  /**
   * Default true: a task whose options name a saved `connectionId` runs with
   * that connection's settings (see configForTask). False: `config` already
   * holds them.
   */
  resolveConnection?: boolean;
}

/** How often a running pipeline looks for a cancel request written by another process. */
export const CANCEL_POLL_MS = 1000;

/**
 * Loads every plugin the plan names, checks its subtask names and applies
 * pending migrations once, so tasks run with `migrate: false`. Usage errors
 * (unknown plugin or subtask) throw before any pipeline row exists.
 */
export async function preparePlan(spec: PipelineSpec, opts: { dal: Dal; searchPath?: string[]; logger?: Logger }): Promise<void> {
  const { findPlugin, loadPlugin, selectSubtasks } = require('../runner/load-plugin') as typeof import('../runner/load-plugin');
  const { pluginSearchPath } = require('../runner/discover') as typeof import('../runner/discover');
  const { migrateAll } = require('../runner/migrate-all') as typeof import('../runner/migrate-all');
  const searchPath = opts.searchPath ?? pluginSearchPath();
  const plugins = new Map<string, import('../core/plugin').Plugin>();
  for (const task of spec.plan.flat()) {
    if (!plugins.has(task.plugin)) plugins.set(task.plugin, loadPlugin(findPlugin(task.plugin, searchPath)).plugin);
    selectSubtasks(plugins.get(task.plugin)!.subTaskMetas!(), task.subtasks);
  }
  const applied = await migrateAll(opts.dal, [...plugins].map(([name, plugin]) => ({ name, plugin })));
  if (applied.length) opts.logger?.info(`applied ${applied.length} migration(s)`);
}

/** Runs a task in this process through `runPlugin`, under the pipeline's task row. */
export function inProcessExecutor(opts: InProcessOptions): TaskExecutor {
  // On a single-writer database (SQLite) parallel tasks share the one connection and take turns at it.
  const ownConnections = opts.dbUrl !== undefined && !dialectOf(opts.dal.dialect).singleWriter;
  return async (task, pipeline, signal) => {
    const { runPlugin } = require('../runner/run-plugin') as typeof import('../runner/run-plugin');
    const store = new PipelineStore(opts.dal);
    await store.addAttempt(task.id);
    let taskDal: Dal | undefined;
    let reusable = false;
    try {
      // A saved connection named by the task is decrypted here, in the process that runs it (never in Redis).
      const config = opts.resolveConnection === false ? opts.config : await configForTask(opts.dal, opts.config, task.plugin, task.options);
      if (ownConnections && opts.connections) taskDal = await opts.connections.take();
      const result = await runPlugin({
        name: task.plugin,
        options: task.options,
        subtasks: task.subtasks,
        syncPolicy: { fullSync: pipeline.fullSync, ...(pipeline.timeAfter ? { timeAfter: pipeline.timeAfter } : {}) },
        ...(taskDal ? { dal: taskDal } : ownConnections ? { dbUrl: opts.dbUrl, cwd: opts.cwd } : { dal: opts.dal }),
        migrate: false,
        searchPath: opts.searchPath,
        logger: opts.logger,
        config,
        signal,
        records: { pipelineId: pipeline.id, taskId: task.id },
        waitForLock: opts.waitForLock,
      });
      reusable = !result.error;
    } catch (err) {
      // Set-up errors (the plugin vanished, a lock held elsewhere…) end this task FAILED, never the engine.
      const code = isDevlakeError(err) ? err.code : 'DEVLAKE_E_INTERNAL';
      await store.setTask(task.id, { status: code === 'DEVLAKE_E_CANCELLED' ? 'CANCELLED' : 'FAILED', error_code: code, message: redact((err as Error).message), finished_at: new Date() });
    } finally {
      if (taskDal) await opts.connections!.give(taskDal, reusable).catch(() => undefined);
    }
  };
}

/** The status a pipeline ends with, from its tasks' statuses. */
export function pipelineOutcome(tasks: ReadonlyArray<{ status: string }>, skipOnFail: boolean, cancelled: boolean): PipelineStatus {
  if (cancelled || tasks.some((t) => t.status === 'CANCELLED')) return 'CANCELLED';
  const failed = tasks.some((t) => t.status === 'FAILED');
  if (failed) return skipOnFail ? 'PARTIAL' : 'FAILED';
  if (tasks.every((t) => t.status === 'COMPLETED')) return 'COMPLETED';
  return 'FAILED';
}

/** Runs `fn` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) await fn(items[next++]);
  });
  await Promise.all(lanes);
}

/** Options of one pipeline run. */
export interface RunPipelineOptions {
  dal: Dal;
  pipelineId: number;
  /** Tasks of one stage at a time. Default 4. */
  parallel?: number;
  /** Runs a task. Default: in this process. */
  executor: TaskExecutor;
  logger: Logger;
  signal?: AbortSignal;
  onEvent?: (event: PipelineEvent) => void;
  /** Only tasks that did not complete before (`pipeline rerun`). */
  onlyIncomplete?: boolean;
  /** How often to look for a cancel request from another process (ms). Default {@link CANCEL_POLL_MS}. */
  cancelPollMs?: number;
}

/**
 * Runs a created pipeline: stage after stage, the tasks of a stage in parallel
 * (at most `parallel`), each through the executor. A failed task stops the
 * pipeline after its stage unless `skipOnFail`. The signal, or a cancel
 * request in the database (`devlake pipeline cancel`), cancels every running
 * task gracefully; tasks not started are recorded CANCELLED.
 */
export async function runPipeline(opts: RunPipelineOptions): Promise<PipelineSummary> {
  const store = new PipelineStore(opts.dal);
  const started = Date.now();
  let pipeline = await store.get(opts.pipelineId);
  const logger = opts.logger;
  const controller = new AbortController();
  const abort = () => controller.abort(isDevlakeError(opts.signal?.reason) ? opts.signal!.reason : cancelledError('Pipeline cancelled'));
  if (opts.signal?.aborted) abort();
  opts.signal?.addEventListener('abort', abort, { once: true });
  const poll = setInterval(() => {
    store.cancelRequested(pipeline.id).then(
      (yes) => {
        if (yes && !controller.signal.aborted) {
          logger.warn(`pipeline ${pipeline.id}: cancel requested`);
          controller.abort(cancelledError(`Pipeline ${pipeline.id} cancelled`));
        }
      },
      () => undefined, // a missed poll is retried on the next tick
    );
  }, opts.cancelPollMs ?? CANCEL_POLL_MS);
  poll.unref();

  try {
    await store.setPipeline(pipeline.id, { status: 'RUNNING', began_at: new Date(started), finished_at: null, message: null, ...(opts.onlyIncomplete ? { cancel_requested: false } : {}) });
    const stages = [...new Set(pipeline.tasks.map((t) => t.row))].sort((a, b) => a - b);
    opts.onEvent?.({ type: 'pipeline-started', pipelineId: pipeline.id, stages: stages.length, tasks: pipeline.tasks.length });
    logger.info(`pipeline ${pipeline.id} "${pipeline.name}": ${stages.length} stage(s), ${pipeline.tasks.length} task(s)`);
    let stop = false;
    for (const stage of stages) {
      const todo = pipeline.tasks.filter((t) => t.row === stage && !(opts.onlyIncomplete && t.status === 'COMPLETED'));
      if (stop || controller.signal.aborted) break;
      opts.onEvent?.({ type: 'stage-started', pipelineId: pipeline.id, stage, tasks: todo.length });
      logger.info(`pipeline ${pipeline.id}: stage ${stage}/${stages.length}, ${todo.length} task(s)`);
      await eachLimited(todo, opts.parallel ?? 4, async (task) => {
        if (controller.signal.aborted) return;
        opts.onEvent?.({ type: 'task-started', pipelineId: pipeline.id, taskId: task.id, stage, plugin: task.plugin });
        await opts.executor(task, pipeline, controller.signal);
        const [done] = (await store.get(pipeline.id)).tasks.filter((t) => t.id === task.id);
        opts.onEvent?.({
          type: 'task-finished',
          pipelineId: pipeline.id,
          taskId: task.id,
          stage,
          plugin: task.plugin,
          status: done.status,
          ...(done.status === 'FAILED' ? { error: { code: done.errorCode ?? '', message: done.message ?? '' } } : {}),
        });
      });
      pipeline = await store.get(pipeline.id);
      if (pipeline.tasks.some((t) => t.row === stage && t.status === 'FAILED') && !pipeline.skipOnFail) stop = true;
    }
    const status = await finishPipeline(store, pipeline.id, controller.signal.aborted);
    opts.onEvent?.({ type: 'pipeline-finished', pipelineId: pipeline.id, status });
    logger.info(`pipeline ${pipeline.id} ${status}`);
    return pipelineSummary(await store.get(pipeline.id));
  } finally {
    clearInterval(poll);
    opts.signal?.removeEventListener('abort', abort);
  }
}

/**
 * Ends a pipeline: tasks never started become CANCELLED when it was
 * cancelled, and the pipeline row gets its final status (see
 * {@link pipelineOutcome}) and time. Used in process and by the worker that
 * finishes the last stage.
 */
export async function finishPipeline(store: PipelineStore, pipelineId: number, cancelled: boolean): Promise<PipelineStatus> {
  let pipeline = await store.get(pipelineId);
  cancelled = cancelled || pipeline.cancelRequested;
  if (cancelled) {
    for (const t of pipeline.tasks) {
      if (t.status === 'CREATED') await store.setTask(t.id, { status: 'CANCELLED', message: 'not run: the pipeline was cancelled' });
    }
    pipeline = await store.get(pipelineId);
  }
  const status = pipelineOutcome(pipeline.tasks, pipeline.skipOnFail, cancelled);
  const failed = pipeline.tasks.filter((t) => t.status === 'FAILED').length;
  const message = status === 'COMPLETED' ? null : status === 'CANCELLED' ? 'cancelled' : `${failed} task(s) failed`;
  const began = pipeline.beganAt?.getTime() ?? Date.now();
  await store.setPipeline(pipelineId, { status, message, finished_at: new Date(), spent_seconds: Math.round((Date.now() - began) / 1000) });
  return status;
}

/** The first stage after `after` with a task still to run (not COMPLETED), or undefined when none is left. */
export function nextStage(pipeline: PipelineRecord, after: number): number | undefined {
  const rows = pipeline.tasks.filter((t) => t.row > after && t.status !== 'COMPLETED').map((t) => t.row);
  return rows.length ? Math.min(...rows) : undefined;
}

/** Whether a pipeline stops after `stage`: cancelled, or a task of it FAILED without skipOnFail. */
export function stopsAfter(pipeline: PipelineRecord, stage: number): boolean {
  return pipeline.cancelRequested || (!pipeline.skipOnFail && pipeline.tasks.some((t) => t.row === stage && t.status === 'FAILED'));
}

/** A pipeline's summary from its rows: what `devlake pipeline status` shows from any machine. */
export function pipelineSummary(p: PipelineRecord): PipelineSummary {
  return {
    pipelineId: p.id,
    name: p.name,
    status: p.status,
    queue: p.queue,
    durationMs: p.beganAt && p.finishedAt ? p.finishedAt.getTime() - p.beganAt.getTime() : null,
    tasks: p.tasks.map((t) => ({
      id: t.id,
      plugin: t.plugin,
      stage: t.row,
      status: t.status,
      attempts: t.attempts,
      options: t.options,
      ...(t.status === 'FAILED' || t.status === 'CANCELLED' ? { error: { code: t.errorCode, message: t.message ?? '' } } : {}),
    })),
  };
}
