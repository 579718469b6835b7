import { frameworkMigrations } from '../src/dal/framework-migrations';
import { migrate } from '../src/dal/migrator';
import { createApiClient } from '../src/helpers/api-client';
import { ApiCollector } from '../src/helpers/api-collector';
import { PARAMS } from './lib/data';
import { withBenchDb } from './lib/db';
import type { Measure } from './lib/measure';
import { startPageServer } from './lib/page-server';
import { benchSubTask } from './lib/subtask';
import { bestOf, perSecond, samplesText } from './lib/timing';

const CONCURRENCY = 8;
/** Far above what the bench sends: the limiter must not be what is measured here. */
const UNLIMITED_PER_HOUR = 1e9;

/** Runs `count` jobs numbered 1…count on `workers` workers. */
async function pool(count: number, workers: number, job: (n: number) => Promise<void>): Promise<void> {
  let next = 1;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next <= count) await job(next++);
    }),
  );
}

/**
 * ApiCollector pages/s (GET, parse, store raw rows in SQLite) and ApiClient
 * pages/s (GET and parse only) against bare undici `request()` + `body.json()`,
 * same local server, same concurrency.
 */
export const measure: Measure = {
  name: 'collect_http',
  description: 'ApiCollector (and ApiClient alone) pages/s vs bare undici request() + body.json(), concurrency 8, 100 records a page',
  async run({ quick, log }) {
    const pages = quick ? 200 : 1000;
    const undici = require('undici') as typeof import('undici');
    const server = await startPageServer(pages);
    try {
      return await withBenchDb('sqlite', async (db) => {
        await migrate(db.dal, [{ owner: 'framework', scripts: frameworkMigrations }]);
        const ctx = benchSubTask(db.dal, 'Collect Issues');
        const clientOptions = { endpoint: server.url, requestsPerHour: UNLIMITED_PER_HOUR, concurrency: CONCURRENCY };
        const t = await bestOf(quick ? 2 : 3, {
          ceiling: async () => {
            const agent = new undici.Agent({ connections: CONCURRENCY });
            const start = process.hrtime.bigint();
            await pool(pages, CONCURRENCY, async (page) => {
              const { body } = await undici.request(`${server.url}issues?page=${page}&per_page=100`, { dispatcher: agent });
              const records = (await body.json()) as unknown[];
              if (records.length !== 100) throw new Error('short page');
            });
            const ms = Number(process.hrtime.bigint() - start) / 1e6;
            await agent.close();
            return ms;
          },
          client: async () => {
            const api = createApiClient(ctx, clientOptions);
            const start = process.hrtime.bigint();
            await pool(pages, CONCURRENCY, async (page) => {
              const res = await api.get('issues', { query: { page, per_page: 100 } });
              if (res.json<unknown[]>().length !== 100) throw new Error('short page');
            });
            const ms = Number(process.hrtime.bigint() - start) / 1e6;
            await api.close();
            return ms;
          },
          collector: async (r) => {
            const api = createApiClient(ctx, clientOptions);
            const rawTable = `_raw_bench_collect_${r}`;
            const start = process.hrtime.bigint();
            const result = await new ApiCollector({
              ctx,
              apiClient: api,
              rawTable,
              params: PARAMS,
              urlTemplate: 'issues',
              pagination: 'totalPages',
              pageSize: 100,
              concurrency: CONCURRENCY,
              getTotalPages: (res) => Number(res.headers['x-total-pages']),
            }).execute();
            const ms = Number(process.hrtime.bigint() - start) / 1e6;
            await api.close();
            if (result.rowsPublished !== pages * 100) throw new Error(`collected ${result.rowsPublished} rows, expected ${pages * 100}`);
            return ms;
          },
        });
        log(`collect_http: ApiCollector ${samplesText(t.collector.samples)} ms, ApiClient ${samplesText(t.client.samples)} ms, undici ${samplesText(t.ceiling.samples)} ms`);
        const size = `${pages} pages of 100 records (${Math.round(server.pageBytes / 1024)} KB), concurrency ${CONCURRENCY}`;
        const ceiling = perSecond(pages, t.ceiling.best);
        return [
          {
            name: 'collect_http',
            value: perSecond(pages, t.collector.best),
            ceiling,
            ratio: t.ceiling.best / t.collector.best,
            unit: 'pages/s',
            goal: { min: 0.9 },
            size,
            note: 'ApiCollector end to end: fetch, parse, stage raw rows in SQLite, publish',
          },
          {
            name: 'collect_http.client',
            value: perSecond(pages, t.client.best),
            ceiling,
            ratio: t.ceiling.best / t.client.best,
            unit: 'pages/s',
            goal: { min: 0.9 },
            size,
            note: 'ApiClient.get + json() only (no storage)',
          },
        ];
      });
    } finally {
      await server.close();
    }
  },
};
