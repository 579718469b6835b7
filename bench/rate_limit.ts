import { hasErrorCode } from '../src/core/errors';
import { createApiClient } from '../src/helpers/api-client';
import { withBenchDb } from './lib/db';
import type { Measure } from './lib/measure';
import { startPageServer } from './lib/page-server';
import { benchSubTask } from './lib/subtask';

const CONCURRENCY = 8;

/**
 * Achieved requests/s of an ApiClient configured with a limit, over a fixed
 * window from its first request, against the limit itself: a limiter must
 * neither exceed its budget (bursts) nor waste it. Workers keep requests
 * waiting the whole time; the window is closed by aborting them.
 */
export const measure: Measure = {
  name: 'rate_limit',
  description: 'ApiClient requests/s with requestsPerHour set, over a fixed window, vs the configured limit',
  async run({ quick, log }) {
    const perSecond = 20;
    const windowMs = quick ? 3_000 : 15_000;
    const server = await startPageServer(1);
    try {
      return await withBenchDb('sqlite', async (db) => {
        const ctx = benchSubTask(db.dal, 'Collect Issues');
        const api = createApiClient(ctx, { endpoint: server.url, requestsPerHour: perSecond * 3600, concurrency: CONCURRENCY, retry: 0 });
        const stop = new AbortController();
        const start = Date.now();
        const done: number[] = [];
        const timer = setTimeout(() => stop.abort(), windowMs);
        try {
          await Promise.all(
            Array.from({ length: CONCURRENCY }, async () => {
              while (!stop.signal.aborted) {
                try {
                  await api.get('issues', { signal: stop.signal });
                  done.push(Date.now() - start);
                } catch (err) {
                  if (stop.signal.aborted && hasErrorCode(err, 'DEVLAKE_E_CANCELLED')) return;
                  throw err;
                }
              }
            }),
          );
        } finally {
          clearTimeout(timer);
          await api.close();
        }
        const inWindow = done.filter((t) => t <= windowMs).length;
        const firstSecond = done.filter((t) => t <= 1000).length;
        const achieved = (inWindow * 1000) / windowMs;
        log(`rate_limit: ${inWindow} requests in ${windowMs} ms at a limit of ${perSecond}/s (${firstSecond} in the first second)`);
        return [
          {
            name: 'rate_limit',
            value: achieved,
            ceiling: perSecond,
            ratio: achieved / perSecond,
            unit: 'req/s',
            goal: { min: 0.98, max: 1.02 },
            size: `${windowMs / 1000} s window, limit ${perSecond * 3600}/h, concurrency ${CONCURRENCY}`,
            note: `${firstSecond} requests completed in the first second`,
          },
        ];
      });
    } finally {
      await server.close();
    }
  },
};
