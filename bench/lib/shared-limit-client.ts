import { mapConfig } from '../../src/core/config';
import type { Dal } from '../../src/core/dal';
import { hasErrorCode } from '../../src/core/errors';
import { silentLogger } from '../../src/core/logger';
import { createTaskContext } from '../../src/core/task-context';
import { createApiClient } from '../../src/helpers/api-client';

/** What the parent tells each process of rate_limit_shared. */
export interface SharedLimitJob {
  endpoint: string;
  /** `redis://…?prefix=…`: the budget the processes share. */
  redis: string;
  token: string;
  requestsPerHour: number;
  concurrency: number;
  /** Epoch ms: every process starts at the same instant, and stops after `windowMs`. */
  startAt: number;
  windowMs: number;
}

/**
 * Keeps `concurrency` requests waiting on one ApiClient (shared budget in
 * Redis) from `startAt` for `windowMs`, then aborts them. Returns when each
 * request completed (epoch ms).
 */
export async function run(job: SharedLimitJob): Promise<number[]> {
  const ctx = createTaskContext({ pluginName: 'bench', options: {}, db: undefined as unknown as Dal, logger: silentLogger, config: mapConfig({}) });
  const api = createApiClient(ctx, {
    endpoint: job.endpoint,
    auth: { type: 'bearer', token: job.token },
    requestsPerHour: job.requestsPerHour,
    concurrency: job.concurrency,
    rateLimitRedis: job.redis,
    retry: 0,
  });
  const done: number[] = [];
  try {
    await api.get('issues').catch(() => undefined); // connection and script loaded before the window; not counted
    await new Promise((r) => setTimeout(r, Math.max(0, job.startAt - Date.now())));
    const stop = AbortSignal.timeout(job.windowMs + 200);
    await Promise.all(
      Array.from({ length: job.concurrency }, async () => {
        while (!stop.aborted) {
          try {
            await api.get('issues', { signal: stop });
            done.push(Date.now());
          } catch (err) {
            if (stop.aborted && hasErrorCode(err, 'DEVLAKE_E_CANCELLED')) return;
            throw err;
          }
        }
      }),
    );
  } finally {
    await api.close();
  }
  return done;
}
