import type { Config } from '../core/config';
import type { HttpSettings, SyncPolicy } from '../core/context';
import { DevlakeError, isDevlakeError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { Plugin, SubTaskMeta } from '../core/plugin';
import { isCloseablePluginTask, isPluginInit } from '../core/plugin';
import { redact } from '../core/redact';
import type { Dal } from '../dal/types';
import { createSubTaskContext, createTaskContext } from './context';
import { selectSubtasks } from './load-plugin';
import { checkTimeAfter } from './time-after';
import type { ProgressDisplay } from './progress';
import type { RunStatus } from './records';
import { RunRecorder } from './records';

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
  error?: { code: string; message: string; hint?: string };
}

/** The summary, plus the error that ended the run (FAILED or CANCELLED), for the CLI to print. */
export interface RunResult {
  summary: RunSummary;
  error?: DevlakeError;
}

const elapsedSeconds = (from: number) => Math.round((Date.now() - from) / 1000);

/** Wraps anything a subtask threw into a DevlakeError naming the subtask. */
function asSubtaskError(meta: SubTaskMeta, err: unknown): DevlakeError {
  if (isDevlakeError(err)) return err;
  return new DevlakeError('DEVLAKE_E_SUBTASK_FAILED', `Subtask "${meta.name}" failed: ${err instanceof Error ? err.message : String(err)}`, {
    hint: 'Re-run with --verbose for the stack trace; fix the plugin code or its input.',
    cause: err,
  });
}

/**
 * A throw from the plugin's own code (`init`, `prepareTaskData`): a bug to fix
 * there, so the hint names the place the stack points at (or the plugin file)
 * and `--verbose`, not the options.
 */
function pluginCodeError(pluginName: string, err: unknown, pluginFile: string | undefined): DevlakeError {
  const where = firstOwnFrame(err) ?? pluginFile;
  return new DevlakeError('DEVLAKE_E_PLUGIN_FAILED', `Plugin "${pluginName}" failed while preparing its task data: ${err instanceof Error ? err.message : String(err)}`, {
    hint: `Fix the plugin code${where ? ` at ${where}` : ''}; re-run with --verbose for the stack trace.`,
    cause: err,
    data: { plugin: pluginName, ...(where ? { where } : {}) },
  });
}

/** `file:line:col` of the first stack frame outside node's internals and node_modules. */
function firstOwnFrame(err: unknown): string | undefined {
  const stack = err instanceof Error && typeof err.stack === 'string' ? err.stack : '';
  for (const line of stack.split('\n').slice(1)) {
    const m = /\(?((?:[A-Za-z]:)?[^():\s]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (!m || m[1]!.startsWith('node:') || m[1]!.includes('node_modules')) continue;
    return `${m[1]}:${m[2]}:${m[3]}`;
  }
  return undefined;
}

/**
 * Runs a plugin's subtasks in order, as DevLake's runner does: prepares the
 * task data, logs `total step: N`, `executing subtask …` and
 * `finished step: i / N`, and records pipeline, task and subtask rows. A
 * cancelled signal stops before the next subtask (helpers stop at the next
 * batch) and ends CANCELLED; any other error ends FAILED.
 */
export async function runTask(input: RunTaskInput): Promise<RunResult> {
  const { dal, plugin, pluginName, logger } = input;
  const metas = selectSubtasks(plugin.subTaskMetas!(), input.subtasks);
  checkTimeAfter(input.syncPolicy?.timeAfter); // before any row is written
  const started = Date.now();
  const recorder = new RunRecorder(dal);
  const pipelineId = await recorder.createPipeline(`${pluginName} ${new Date(started).toISOString()}`);
  const taskId = await recorder.createTask(pipelineId, pluginName, input.options);
  const summary: RunSummary = { plugin: pluginName, status: 'RUNNING', pipelineId, taskId, durationMs: 0, rowsWritten: 0, subtasks: [] };
  const subtaskIds = [];
  for (let i = 0; i < metas.length; i++) subtaskIds.push(await recorder.createSubtask(taskId, metas[i].name, i + 1));

  const taskCtx = createTaskContext({
    pluginName,
    options: input.options,
    db: dal,
    logger,
    config: input.config,
    signal: input.signal,
    syncPolicy: input.syncPolicy,
    http: input.http,
  });

  let failure: DevlakeError | undefined;
  let failedName: string | undefined;
  let taskData: unknown;
  try {
    if (isPluginInit(plugin)) await plugin.init({ config: input.config, logger, db: dal });
    taskData = await plugin.prepareTaskData!(taskCtx, input.options);
  } catch (err) {
    failure = isDevlakeError(err) ? err : pluginCodeError(pluginName, err, input.pluginFile);
  }

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
    const t0 = Date.now();
    const { ctx, progress } = createSubTaskContext(taskCtx, meta.name, taskData, {
      onProgress: (p) => input.progress?.update(meta.name, p),
    });
    await recorder.update('subtasks', id, { status: 'RUNNING', began_at: new Date(t0) });
    logger.info(`executing subtask ${meta.name}`);
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
    summary.rowsWritten += rows;
    await recorder.update('subtasks', id, {
      status,
      rows_written: rows,
      finished_at: new Date(),
      spent_seconds: elapsedSeconds(t0),
      message: error ? redact(error.message) : null,
      error_code: error?.code ?? null,
    });
    summary.subtasks.push({
      name: meta.name,
      status,
      rowsWritten: rows,
      tables,
      durationMs: Date.now() - t0,
      ...(error ? { error: { code: error.code, message: redact(error.message) } } : {}),
    });
    if (error) {
      failure = error;
      failedName = meta.name;
      if (status === 'CANCELLED') logger.warn(`subtask ${meta.name} cancelled`);
      else logger.error(`subtask ${meta.name} failed: ${error.message}`);
    } else {
      input.progress?.finish(meta.name, progress);
      logger.info(`finished step: ${i + 1} / ${total}`);
    }
  }
  input.progress?.done();

  if (isCloseablePluginTask(plugin)) {
    try {
      await plugin.close(taskCtx);
    } catch (err) {
      logger.warn(`plugin close failed: ${(err as Error).message}`);
    }
  }
  if (!failure && input.signal?.aborted) failure = isDevlakeError(input.signal.reason) ? input.signal.reason : undefined;
  const status: RunStatus = failure ? (failure.code === 'DEVLAKE_E_CANCELLED' || input.signal?.aborted ? 'CANCELLED' : 'FAILED') : 'COMPLETED';
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
  await recorder.update('pipelines', pipelineId, { status, message, finished_at: new Date(), spent_seconds: elapsedSeconds(started) });
  return { summary, error: failure };
}
