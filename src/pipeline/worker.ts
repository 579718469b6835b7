import type { Config } from '../core/config';
import type { Dal } from '../core/dal';
import type { Logger } from '../core/logger';
import { redact } from '../core/redact';
import { RATE_LIMIT_REDIS_KEY } from '../helpers/api-client-options';
import type { JobContext, StageJobData, TaskJobData } from './queue-jobs';
import { processStageJob, processTaskJob } from './queue-jobs';
import type { QueueTarget } from './queue-connection';
import { QUEUE_NAME, redisOptions } from './queue-connection';
import { TaskConnections } from './task-connections';

/**
 * The worker's configuration, with API budgets shared through the queue's Redis
 * (unless DEVLAKE_RATE_LIMIT_REDIS names another): every worker's tasks on one
 * connection spend one budget together.
 */
export function withSharedRateLimit(config: Config, target: QueueTarget): Config {
  const url = new URL(target.url);
  url.searchParams.set('prefix', target.prefix);
  const shared = url.toString();
  return { get: (key) => config.get(key) ?? (key === RATE_LIMIT_REDIS_KEY ? shared : undefined) };
}

/** Settings of `devlake worker`. */
export interface WorkerOptions {
  target: QueueTarget;
  dal: Dal;
  logger: Logger;
  config: Config;
  /** Tasks run at once by this worker. Default 1. */
  concurrency?: number;
  /**
   * How long a job stays locked to this worker without a renewal (ms): a
   * SIGKILLed worker's task goes back to the queue this long after it died.
   * Default 30 s (BullMQ's).
   */
  lockDurationMs?: number;
  searchPath?: string[];
  cancelPollMs?: number;
  /** The database URL: each task opens its own connections. */
  dbUrl?: string;
}

/** A running worker. */
export interface RunningWorker {
  /** Stops taking jobs and waits for the running ones to end. */
  close(): Promise<void>;
}

/**
 * Starts a BullMQ worker on the task queue: `task` jobs run a pipeline task in
 * this process (as `devlake run` would), `stage` jobs chain a pipeline's
 * stages. While Redis is unreachable the worker takes no new job; the tasks it
 * runs finish in the database, and a job whose result Redis lost is run again
 * later only to find its task COMPLETED.
 */
export async function startWorker(opts: WorkerOptions): Promise<RunningWorker> {
  const { Worker } = require('bullmq') as typeof import('bullmq');
  const connections = opts.dbUrl ? new TaskConnections(opts.dbUrl, { logger: opts.logger }) : undefined;
  const ctx: JobContext = {
    dal: opts.dal,
    logger: opts.logger,
    config: withSharedRateLimit(opts.config, opts.target),
    target: opts.target,
    searchPath: opts.searchPath,
    cancelPollMs: opts.cancelPollMs,
    dbUrl: opts.dbUrl,
    connections,
  };
  const lockDuration = opts.lockDurationMs ?? 30_000;
  const worker = new Worker(
    QUEUE_NAME,
    async (job) => (job.name === 'stage' ? processStageJob(job.data as StageJobData, ctx) : processTaskJob(job.data as TaskJobData, ctx)),
    {
      connection: redisOptions(opts.target),
      prefix: opts.target.prefix,
      concurrency: opts.concurrency ?? 1,
      lockDuration,
      stalledInterval: Math.max(1000, Math.floor(lockDuration / 2)),
      maxStalledCount: 5,
      autorun: false,
    },
  );
  let lost = false;
  worker.on('error', (err) => {
    if (!lost) opts.logger.warn(`queue connection lost (${redact(err.message)}): taking no new task until Redis is back`);
    lost = true;
  });
  worker.on('ready', () => {
    if (lost) opts.logger.info('queue connection back: taking tasks again');
    lost = false;
  });
  worker.on('failed', (job, err) => opts.logger.error(`job ${job?.id ?? '?'} failed: ${redact(err.message)}`));
  await worker.waitUntilReady();
  void worker.run();
  opts.logger.info(`worker ready on ${opts.target.prefix}:${QUEUE_NAME} (concurrency ${opts.concurrency ?? 1})`);
  return {
    async close() {
      try {
        await worker.close();
      } finally {
        await connections?.close();
      }
    },
  };
}
