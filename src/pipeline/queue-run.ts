import type { Dal } from '../core/dal';
import type { Logger } from '../core/logger';
import type { PipelineSummary } from './engine';
import { pipelineSummary } from './engine';
import { checkQueue } from './queue-connection';
import { enqueueStage } from './queue-jobs';
import { PipelineStore } from './store';

export { checkQueue };

/** Options of a pipeline handed to queue workers. */
export interface QueueRunOptions {
  dal: Dal;
  pipelineId: number;
  /** `redis://host:port[?prefix=…]`. */
  redisUrl: string;
  logger: Logger;
  /** Aborting it (Ctrl-C) asks every worker to cancel the pipeline's tasks. */
  signal?: AbortSignal;
  /** Return right after enqueueing the first stage. */
  detach?: boolean;
  /** How often to read the pipeline's progress while waiting (ms). Default 500. */
  pollMs?: number;
}

const FINAL = new Set(['COMPLETED', 'PARTIAL', 'FAILED', 'CANCELLED']);

/**
 * Enqueues a created pipeline's first stage with a task not COMPLETED
 * (workers chain the rest, skipping completed tasks: a rerun), and,
 * unless detached, follows it in the database until it ends, logging each
 * task as it finishes. Ctrl-C writes a cancel request that every worker
 * running one of its tasks picks up within seconds.
 */
export async function runPipelineOnQueue(opts: QueueRunOptions): Promise<PipelineSummary> {
  const target = await checkQueue(opts.redisUrl);
  const store = new PipelineStore(opts.dal);
  let pipeline = await store.get(opts.pipelineId);
  const first = pipeline.tasks.filter((t) => t.status !== 'COMPLETED').map((t) => t.row);
  if (first.length === 0) return pipelineSummary(pipeline);
  await store.setPipeline(pipeline.id, { status: 'RUNNING', began_at: new Date(), finished_at: null, message: null, cancel_requested: false });
  await enqueueStage(target, opts.dal, pipeline.id, Math.min(...first));
  opts.logger.info(`pipeline ${pipeline.id}: enqueued on ${target.prefix}; run \`devlake worker --queue …\` to process it`);
  if (opts.detach) return pipelineSummary(await store.get(pipeline.id));

  let cancelSent = false;
  const seen = new Map<number, string>();
  for (;;) {
    if (opts.signal?.aborted && !cancelSent) {
      cancelSent = true;
      await store.requestCancel(pipeline.id);
    }
    pipeline = await store.get(pipeline.id);
    for (const t of pipeline.tasks) {
      if (seen.get(t.id) !== t.status && t.status !== 'CREATED') {
        seen.set(t.id, t.status);
        opts.logger.info(`pipeline ${pipeline.id}: task #${t.id} ${t.plugin} ${t.status}`);
      }
    }
    if (FINAL.has(pipeline.status)) return pipelineSummary(pipeline);
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 500));
  }
}
