import type { Config } from '../core/config';
import type { HttpSettings, SyncPolicy, TaskContext } from '../core/context';
import { cancelledError, DevlakeError, isDevlakeError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { Plugin, SubTaskMeta } from '../core/plugin';
import { isCloseablePluginTask, isPluginInit } from '../core/plugin';
import { redact } from '../core/redact';
import type { Dal } from '../dal/types';
import { createSubTaskContext, createTaskContext } from './context';
import { asSubtaskError, pluginCodeError } from './task-errors';
import { selectSubtasks } from './load-plugin';
import { checkTimeAfter } from './time-after';
import { acquireLock, describeHolder } from '../dal/db-lock';
import { isConnectionError, lostConnectionError } from '../dal/connection-error';
import { onAbort } from '../helpers/linked-signal';
import { failOrphanedTasks } from './orphaned-tasks';
import { canonicalJson, runLockName } from './run-lock';
import type { ProgressDisplay } from './progress';
import type { RunStatus } from './records';
import { RunRecorder } from './records';
import { mapRunToProject } from './project';

/** What `runTask` needs: a migrated database and a loaded plugin. */
export interface RunTaskInput {
  dal: Dal;
  pluginName: string;
  plugin: Plugin;
  options: Record<string, unknown>;
  /** Subtask names to run; default: those enabled by default. */
  subtasks?: string[];
  syncPolicy?: SyncPolicy;
  http?: HttpSettings;
  logger: Logger;
  config: Config;
  signal?: AbortSignal;
  progress?: ProgressDisplay;
  /** The plugin's entry file, named in the hint when plugin code throws. */
  pluginFile?: string;
  /**
   * Run under rows a pipeline already created (its own pipeline row is left to
   * the pipeline); default: a pipeline and a task row of its own.
   */
  records?: { pipelineId: number; taskId: number };
  /**
   * Wait for a run of the same plugin and options that holds the run lock to
   * end, instead of failing at once with DEVLAKE_E_RUN_LOCKED. Default false.
   */
  waitForLock?: boolean;
  /** A run lock without a heartbeat for this long is taken over. Default 60 s. */
  lockStaleAfterMs?: number;
  /**
   * `--project <name>`: after the subtasks succeed, record the project and map
   * the run's repo/board/cicd scope rows to it (runner/project.ts).
   */
  project?: string;
}

/** The outcome of one subtask. */
export interface SubtaskSummary {
  name: string;
  status: RunStatus;
  rowsWritten: number;
  /** Rows written per table. */
  tables: Record<string, number>;
  durationMs: number;
  error?: { code: string; message: string };
}

/** The outcome of a run, as `devlake run --json` prints it. */
export interface RunSummary {
  plugin: string;
  status: RunStatus;
  pipelineId: number;
  taskId: number;
  durationMs: number;
  rowsWritten: number;
  subtasks: SubtaskSummary[];
  /** With `--project`: the project and the scope rows mapped to it, per table. */
  project?: { name: string; mapped: Record<string, number> };
  error?: { code: string; message: string; hint?: string };
}

/** The summary, plus the error that ended the run (FAILED or CANCELLED), for the CLI to print. */
export interface RunResult {
  summary: RunSummary;
  error?: DevlakeError;
}

const elapsedSeconds = (from: number) => Math.round((Date.now() - from) / 1000);

/**
 * Runs a plugin's subtasks in order, as DevLake's runner does: prepares the
 * task data, logs `total step: N`, `executing subtask …` and
 * `finished step: i / N`, and records pipeline, task and subtask rows. A
 * cancelled signal stops before the next subtask (helpers stop at the next
 * batch) and ends CANCELLED; any other error ends FAILED.
 */
export async function runTask(input: RunTaskInput): Promise<RunResult> {
  const { plugin, pluginName, logger, dal } = input;
  const metas = selectSubtasks(plugin.subTaskMetas!(), input.subtasks);
  checkTimeAfter(input.syncPolicy?.timeAfter); // before any row is written
  // The run's own signal: the caller's (a plain abort() is a cancel too), or the run lock lost to another process.
  const controller = new AbortController();
  const cancel = (reason: unknown) => controller.abort(isDevlakeError(reason) ? reason : cancelledError());
  const unlink = input.signal ? onAbort(input.signal, cancel) : () => undefined;
  if (input.signal?.aborted) cancel(input.signal.reason);
  const lockName = runLockName(pluginName, input.options);
  const lock = await acquireLock(dal, lockName, {
    wait: input.waitForLock,
    signal: input.signal,
    logger,
    staleAfterMs: input.lockStaleAfterMs,
    what: `a run of "${pluginName}" with these options`,
    hint: 'Wait for that run to finish, or add --wait to start when it ends; a killed run\'s lock is taken over once its heartbeat expires.',
    description: redact(`devlake run ${pluginName} ${canonicalJson(input.options ?? {})}`),
    onLost: (by) =>
      controller.abort(
        new DevlakeError('DEVLAKE_E_RUN_LOCKED', `The run lock was taken over by ${by ? describeHolder(by) : 'another process'}; this run stopped`, {
          hint: 'This run stopped sending heartbeats for too long (a stalled machine or database); run again once the other run ends.',
        }),
      ),
  });
  try {
    await failOrphanedTasks(dal, { heldLock: lockName, tookOver: lock.tookOver, staleAfterMs: input.lockStaleAfterMs, logger, exceptTask: input.records?.taskId });
    return await runLocked({ ...input, signal: controller.signal }, metas, () => !!input.signal?.aborted);
  } finally {
    unlink();
    // A release the database cannot take (it is gone) must not hide the run's outcome; the row is taken over later.
    await lock.release().catch((err: unknown) => logger.debug(`run lock not released: ${(err as Error).message}`));
  }
}

/** runTask's work once the run lock is held; `input.signal` aborts on the caller's cancel or a lost lock. */
async function runLocked(input: RunTaskInput, metas: SubTaskMeta[], userCancelled: () => boolean): Promise<RunResult> {
  const { plugin, pluginName, logger } = input;
  const started = Date.now();
  const recorder = new RunRecorder(input.dal);
  const { pipelineId, taskId } = await openRecords(recorder, input, started);
  const summary: RunSummary = { plugin: pluginName, status: 'RUNNING', pipelineId, taskId, durationMs: 0, rowsWritten: 0, subtasks: [] };
  const subtaskIds: number[] = [];
  for (let i = 0; i < metas.length; i++) subtaskIds.push(await recorder.createSubtask(taskId, metas[i].name, i + 1));

  const taskCtx = createTaskContext({
    pluginName,
    options: input.options,
    db: input.dal,
    logger,
    config: input.config,
    signal: input.signal,
    syncPolicy: input.syncPolicy,
    http: input.http,
  });

  let failure: DevlakeError | undefined;
  try {
    const prepared = await prepareTask(input, taskCtx);
    failure = await runSubtasks(input, taskCtx, metas, subtaskIds, prepared, recorder, summary);
    if (!failure && !input.signal?.aborted && input.project) failure = await mapProject(input, input.project, prepared.taskData, summary);
  } finally {
    // Always release the plugin's clients, even when a record update threw.
    input.progress?.done();
    await closePlugin(plugin, taskCtx, logger);
  }

  if (!failure && input.signal?.aborted) failure = isDevlakeError(input.signal.reason) ? input.signal.reason : undefined;
  const status: RunStatus = failure ? (failure.code === 'DEVLAKE_E_CANCELLED' || userCancelled() ? 'CANCELLED' : 'FAILED') : 'COMPLETED';
  summary.status = status;
  summary.durationMs = Date.now() - started;
  if (failure) summary.error = { code: failure.code, message: redact(failure.message), ...(failure.hint ? { hint: failure.hint } : {}) };
  const message = failure ? redact(failure.message) : null;
  await recorder.update('tasks', taskId, {
    status,
    message,
    error_code: failure?.code ?? null,
    progress: summary.subtasks.filter((s) => s.status === 'COMPLETED').length,
    finished_at: new Date(),
    spent_seconds: elapsedSeconds(started),
  });
  if (!input.records) await recorder.update('pipelines', pipelineId, { status, message, finished_at: new Date(), spent_seconds: elapsedSeconds(started) });
  return { summary, error: failure };
}

/** Maps the run's scopes to the project; a failure fails the run (the subtasks' rows stay). */
async function mapProject(input: RunTaskInput, project: string, taskData: unknown, summary: RunSummary): Promise<DevlakeError | undefined> {
  try {
    const { mapped } = await mapRunToProject(input.dal, project, input.pluginName, taskData);
    summary.project = { name: project, mapped };
    input.logger.info(`project ${project}: mapped ${Object.entries(mapped).map(([t, n]) => `${n} ${t}`).join(', ')}`);
    return undefined;
  } catch (err) {
    if (isDevlakeError(err)) return err;
    return new DevlakeError('DEVLAKE_E_DB_QUERY', `Recording project ${project} failed: ${(err as Error)?.message ?? String(err)}`, {
      cause: err,
      hint: 'Run `devlake migrate` so the projects and project_mapping tables exist, then run again.',
    });
  }
}

/** Creates the run's pipeline and task rows, or marks a pipeline's task row RUNNING (dropping an earlier attempt's subtask rows). */
async function openRecords(recorder: RunRecorder, input: RunTaskInput, started: number): Promise<{ pipelineId: number; taskId: number }> {
  if (input.records) {
    await recorder.restartTask(input.records.taskId);
    return input.records;
  }
  const pipelineId = await recorder.createPipeline(`${input.pluginName} ${new Date(started).toISOString()}`);
  const taskId = await recorder.createTask(pipelineId, input.pluginName, input.options);
  return { pipelineId, taskId };
}

/** The plugin's `init` and `prepareTaskData`; a throw there becomes the run's failure. */
async function prepareTask(input: RunTaskInput, taskCtx: TaskContext): Promise<{ taskData?: unknown; failure?: DevlakeError }> {
  const { plugin } = input;
  try {
    if (isPluginInit(plugin)) await plugin.init({ config: input.config, logger: input.logger, db: input.dal });
    return { taskData: await plugin.prepareTaskData!(taskCtx, input.options) };
  } catch (err) {
    return { failure: isDevlakeError(err) ? err : pluginCodeError(input.pluginName, err, input.pluginFile) };
  }
}

/**
 * Runs the subtasks in order, logging DevLake's step lines and recording each
 * subtask row; after a failure or a cancel the rest are recorded as not run.
 * Returns the error that ended the run, if any.
 */
async function runSubtasks(
  input: RunTaskInput,
  taskCtx: TaskContext,
  metas: SubTaskMeta[],
  subtaskIds: number[],
  prepared: { taskData?: unknown; failure?: DevlakeError },
  recorder: RunRecorder,
  summary: RunSummary,
): Promise<DevlakeError | undefined> {
  const { logger } = input;
  let failure = prepared.failure;
  let failedName: string | undefined;
  const total = metas.length;
  if (!failure) logger.info(`total step: ${total}`);
  for (let i = 0; i < total; i++) {
    const meta = metas[i];
    const id = subtaskIds[i];
    if (failure || input.signal?.aborted) {
      // Never started: CANCELLED when the run was cancelled; otherwise it stays CREATED, so nobody looks
      // for a failure in a subtask that did not run.
      const cancelled = input.signal?.aborted || failure?.code === 'DEVLAKE_E_CANCELLED';
      const status: RunStatus = cancelled ? 'CANCELLED' : 'CREATED';
      const message = cancelled ? 'not run: the run was cancelled' : `not run: ${failedName ? `"${failedName}" failed` : 'the task could not be prepared'}`;
      await recorder.update('subtasks', id, { status, message });
      summary.subtasks.push({ name: meta.name, status, rowsWritten: 0, tables: {}, durationMs: 0 });
      continue;
    }
    const { failure: error, ...outcome } = await runSubtask(input, taskCtx, meta, id, prepared.taskData, recorder);
    summary.rowsWritten += outcome.rowsWritten;
    summary.subtasks.push(outcome);
    if (error) {
      failure = error;
      failedName = meta.name;
      if (outcome.status === 'CANCELLED') logger.warn(`subtask ${meta.name} cancelled`);
      else logger.error(`subtask ${meta.name} failed: ${error.message}`);
    } else {
      logger.info(`finished step: ${i + 1} / ${total}`);
    }
  }
  return failure;
}

/** Runs one subtask and records its row. */
async function runSubtask(
  input: RunTaskInput,
  taskCtx: TaskContext,
  meta: SubTaskMeta,
  id: number,
  taskData: unknown,
  recorder: RunRecorder,
): Promise<SubtaskSummary & { failure?: DevlakeError }> {
  const t0 = Date.now();
  const { ctx, progress } = createSubTaskContext(taskCtx, meta.name, taskData, {
    onProgress: (p) => input.progress?.update(meta.name, p),
  });
  await recorder.update('subtasks', id, { status: 'RUNNING', began_at: new Date(t0) });
  input.logger.info(`executing subtask ${meta.name}`);
  let status: RunStatus = 'COMPLETED';
  let error: DevlakeError | undefined;
  try {
    await meta.entryPoint(ctx);
    // A subtask that returned normally after the signal fired still completed its work.
  } catch (err) {
    error = asSubtaskError(meta, err);
    status = error.code === 'DEVLAKE_E_CANCELLED' ? 'CANCELLED' : 'FAILED';
  }
  input.progress?.clear();
  const tables = Object.fromEntries(progress.rowsWritten);
  const rows = [...progress.rowsWritten.values()].reduce((a, b) => a + b, 0);
  try {
    await recorder.update('subtasks', id, {
      status,
      rows_written: rows,
      finished_at: new Date(),
      spent_seconds: elapsedSeconds(t0),
      message: error ? redact(error.message) : null,
      error_code: error?.code ?? null,
    });
  } catch (recordErr) {
    // The database is gone: the subtask's outcome can only go to the log, before the run stops.
    if (error) input.logger.error(`subtask ${meta.name} failed: ${error.message}`);
    throw isConnectionError(recordErr) ? lostConnectionError(error ?? recordErr, `subtask "${meta.name}"`) : recordErr;
  }
  if (!error) input.progress?.finish(meta.name, progress);
  return {
    name: meta.name,
    status,
    rowsWritten: rows,
    tables,
    durationMs: Date.now() - t0,
    ...(error ? { error: { code: error.code, message: redact(error.message) }, failure: error } : {}),
  };
}

/** `close(taskCtx)` of a closeable plugin; a throw there is logged, never the run's outcome. */
async function closePlugin(plugin: Plugin, taskCtx: TaskContext, logger: Logger): Promise<void> {
  if (!isCloseablePluginTask(plugin)) return;
  try {
    await plugin.close(taskCtx);
  } catch (err) {
    logger.warn(`plugin close failed: ${(err as Error).message}`);
  }
}
