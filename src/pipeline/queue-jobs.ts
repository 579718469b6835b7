import type { Config } from '../core/config';
import type { Dal } from '../core/dal';
import type { Logger } from '../core/logger';
import { cancelledError } from '../core/errors';
import { redact } from '../core/redact';
import { CANCEL_POLL_MS, finishPipeline, inProcessExecutor, nextStage, stopsAfter } from './engine';
import type { QueueTarget } from './queue-connection';
import { QUEUE_NAME, redisOptions } from './queue-connection';
import { PipelineStore } from './store';
import { TaskLogWriter, taskLogger } from './task-log';
import type { TaskConnections } from './task-connections';

/**
 * Job data holds ids only: the task's plugin, options (which may name a
 * connection) and the pipeline's settings are read from the shared database
 * by the worker, so no secret is ever stored in Redis.
 */
export interface TaskJobData {
  pipelineId: number;
  taskId: number;
}
export interface StageJobData {
  pipelineId: number;
  stage: number;
}

/** A task job is retried this many times after its worker died (stalled) or Redis dropped it. */
export const TASK_ATTEMPTS = 5;

/**
 * Enqueues one stage as a BullMQ flow: a `stage` parent job whose children
 * are the stage's tasks (those not COMPLETED). The parent runs when every
 * child is done (a failed child does not block it), on any worker, and
 * enqueues the next stage or finishes the pipeline: the pipeline goes on
 * without the command that enqueued it.
 */
export async function enqueueStage(target: QueueTarget, dal: Dal, pipelineId: number, stage: number): Promise<void> {
  const { FlowProducer } = require('bullmq') as typeof import('bullmq');
  const pipeline = await new PipelineStore(dal).get(pipelineId);
  const tasks = pipeline.tasks.filter((t) => t.row === stage && t.status !== 'COMPLETED');
  const nonce = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const flow = new FlowProducer({ connection: redisOptions(target), prefix: target.prefix });
  try {
    await flow.add({
      name: 'stage',
      queueName: QUEUE_NAME,
      data: { pipelineId, stage } satisfies StageJobData,
      opts: { jobId: `p${pipelineId}-s${stage}-${nonce}`, removeOnComplete: 1000, removeOnFail: 1000 },
      children: tasks.map((t) => ({
        name: 'task',
        queueName: QUEUE_NAME,
        data: { pipelineId, taskId: t.id } satisfies TaskJobData,
        opts: {
          jobId: `p${pipelineId}-t${t.id}-${nonce}`,
          attempts: TASK_ATTEMPTS,
          backoff: { type: 'exponential', delay: 1000 },
          ignoreDependencyOnFailure: true,
          removeOnComplete: 1000,
          removeOnFail: 1000,
        },
      })),
    });
  } finally {
    await flow.close();
  }
}

/** What a worker needs to run jobs. */
export interface JobContext {
  dal: Dal;
  logger: Logger;
  config: Config;
  target: QueueTarget;
  searchPath?: string[];
  cancelPollMs?: number;
  /** The database URL, so each task opens its own connections (see InProcessOptions.dbUrl). */
  dbUrl?: string;
  /** Where the worker's tasks take their connections and give them back (see InProcessOptions.connections). */
  connections?: TaskConnections;
}

/**
 * Runs one task job: exactly as `devlake run` runs a task (run lock, records,
 * resume from the collector's page checkpoint), under the pipeline's task row.
 * A task already COMPLETED (a job run again after Redis lost its result) is
 * not run twice; a cancel request (polled in the database) aborts it.
 */
export async function processTaskJob(data: TaskJobData, ctx: JobContext): Promise<string> {
  const store = new PipelineStore(ctx.dal);
  const pipeline = await store.get(data.pipelineId);
  const task = pipeline.tasks.find((t) => t.id === data.taskId);
  if (!task) return 'MISSING';
  if (task.status === 'COMPLETED' || task.status === 'CANCELLED') return task.status;
  if (pipeline.cancelRequested) {
    await store.setTask(task.id, { status: 'CANCELLED', message: 'not run: the pipeline was cancelled' });
    return 'CANCELLED';
  }
  const controller = new AbortController();
  const poll = setInterval(() => {
    store.cancelRequested(pipeline.id).then(
      (yes) => {
        if (yes && !controller.signal.aborted) {
          ctx.logger.warn(`pipeline ${pipeline.id}: cancel requested, stopping task #${task.id}`);
          controller.abort(cancelledError(`Pipeline ${pipeline.id} cancelled`));
        }
      },
      () => undefined,
    );
  }, ctx.cancelPollMs ?? CANCEL_POLL_MS);
  // The task's log is stored, so the server that enqueued it can show it (GET /tasks/:id/logs).
  const log = new TaskLogWriter(ctx.dal, task.id, (err) => ctx.logger.warn(`task #${task.id}: its log cannot be stored: ${redact(err.message)}`));
  const logger = taskLogger(task.id, ctx.logger, (line) => log.write(line));
  try {
    logger.info(`pipeline ${pipeline.id} stage ${task.row}: ${task.plugin} ${JSON.stringify(task.options)}${task.attempts ? ` (attempt ${task.attempts + 1})` : ''}`);
    await inProcessExecutor({ dal: ctx.dal, logger, config: ctx.config, searchPath: ctx.searchPath, dbUrl: ctx.dbUrl, connections: ctx.connections, waitForLock: true })(task, pipeline, controller.signal);
  } finally {
    clearInterval(poll);
    await log.flush(true);
  }
  const done = (await store.get(pipeline.id)).tasks.find((t) => t.id === task.id);
  return done?.status ?? 'MISSING';
}

/** Runs a stage job, once all its tasks are done: enqueue the next stage, or finish the pipeline. */
export async function processStageJob(data: StageJobData, ctx: JobContext): Promise<string> {
  const store = new PipelineStore(ctx.dal);
  const pipeline = await store.get(data.pipelineId);
  if (pipeline.status !== 'RUNNING') return pipeline.status; // finished already (a stage job run twice)
  const next = stopsAfter(pipeline, data.stage) ? undefined : nextStage(pipeline, data.stage);
  if (next !== undefined) {
    ctx.logger.info(`pipeline ${pipeline.id}: stage ${data.stage} done, enqueueing stage ${next}`);
    await enqueueStage(ctx.target, ctx.dal, pipeline.id, next);
    return 'NEXT';
  }
  const status = await finishPipeline(store, pipeline.id, false);
  ctx.logger.info(`pipeline ${pipeline.id} ${status}`);
  return status;
}
