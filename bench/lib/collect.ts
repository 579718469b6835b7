import { frameworkMigrations } from '../../src/dal/framework-migrations';
import { migrate } from '../../src/dal/migrator';
import { ensureRawTable } from '../../src/dal/raw-table';
import type { Dialect } from '../../src/dal/types';
import { createApiClient } from '../../src/helpers/api-client';
import { ApiCollector } from '../../src/helpers/api-collector';
import { PARAMS, type BenchRawRow } from './data';
import { settleWrites, withBenchDb } from './db';
import type { BenchContext, BenchResult } from './measure';
import { startPageServer } from './page-server';
import { benchSubTask } from './subtask';
import { bestOf, perSecond, samplesText, type Trial } from './timing';
import { pgCopyCeiling, sqliteInsertCeiling, type WriteCeiling } from './write-ceilings';

const CONCURRENCY = 8;
/** Far above what the bench sends: the limiter must not be what is measured here. */
const UNLIMITED_PER_HOUR = 1e9;
/** The page server serves 16 distinct pages in turn (page-server-child.js). */
const DISTINCT_PAGES = 16;

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
 * collect_http on one database: ApiCollector (fetch, parse, store one raw row
 * per record, publish) against the slower of two ceilings measured in the
 * same rounds: (a) `fetch`, bare undici `request()` + `body.json()` of the
 * same pages, 8 at a time; (b) `write`, the same records written by the
 * database's best bulk path in one transaction (SQLite prepared single-row
 * INSERTs, Postgres COPY). A collector that overlaps fetching and writing
 * perfectly takes max(a, b). On SQLite it also measures ApiClient alone.
 */
export async function collectMeasure(dialect: Dialect, name: string, { quick, log }: BenchContext): Promise<BenchResult[]> {
  const pages = quick ? 200 : 1000;
  const undici = require('undici') as typeof import('undici');
  const server = await startPageServer(pages);
  try {
    // The records the server sends, as the collector stores them (one row per record), fetched once before timing.
    const distinct: BenchRawRow[][] = [];
    const createdAt = new Date().toISOString();
    for (let p = 1; p <= DISTINCT_PAGES; p++) {
      const url = `${server.url}issues?page=${p}&per_page=100`;
      const { body } = await undici.request(url);
      const records = (await body.json()) as unknown[];
      distinct.push(records.map((r) => ({ params: PARAMS, data: JSON.stringify(r), url, input: null, created_at: createdAt })));
    }
    return await withBenchDb(dialect, async (db) => {
      await migrate(db.dal, [{ owner: 'framework', scripts: frameworkMigrations }]);
      const ctx = benchSubTask(db.dal, 'Collect Issues');
      const clientOptions = { endpoint: server.url, requestsPerHour: UNLIMITED_PER_HOUR, concurrency: CONCURRENCY };
      const writer: WriteCeiling = dialect === 'postgres' ? pgCopyCeiling(db) : sqliteInsertCeiling(db);
      try {
        const trials: Record<string, Trial> = {
          fetch: async () => {
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
          write: async (r: number) => {
            const table = `_raw_bench_write_${r}`;
            await ensureRawTable(db.dal, table);
            return writer.trial(table, async (each) => {
              for (let p = 0; p < pages; p++) await each(distinct[p % DISTINCT_PAGES]!);
            });
          },
          ...(dialect === 'sqlite'
            ? {
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
              }
            : {}),
          collector: async (r: number) => {
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
            await settleWrites(db.dal);
            const ms = Number(process.hrtime.bigint() - start) / 1e6;
            await api.close();
            if (result.rowsPublished !== pages * 100) throw new Error(`collected ${result.rowsPublished} rows, expected ${pages * 100}`);
            return ms;
          },
        };
        const t = (await bestOf(quick ? 2 : 3, trials)) as Record<'fetch' | 'write' | 'collector', { best: number; samples: number[] }> & {
          client?: { best: number; samples: number[] };
        };
        log(
          `${name}: ApiCollector ${samplesText(t.collector.samples)} ms, undici fetch ${samplesText(t.fetch.samples)} ms, ` +
            `${dialect} write ${samplesText(t.write.samples)} ms${t.client ? `, ApiClient ${samplesText(t.client.samples)} ms` : ''}`,
        );
        const size = `${pages} pages of 100 records (${Math.round(server.pageBytes / 1024)} KB), concurrency ${CONCURRENCY}, ${dialect}`;
        const bound = Math.max(t.fetch.best, t.write.best); // the slower ceiling, in ms
        const writeName = dialect === 'postgres' ? 'COPY FROM STDIN' : 'prepared single-row INSERTs';
        const results: BenchResult[] = [
          {
            name,
            value: perSecond(pages, t.collector.best),
            ceiling: perSecond(pages, bound),
            ratio: bound / t.collector.best,
            unit: 'pages/s',
            goal: { min: 0.85 },
            size,
            note: `ApiCollector end to end (fetch, parse, one raw row per record written once, publish) vs min(fetch, write): ${t.fetch.best >= t.write.best ? 'fetch' : 'write'} bounds`,
          },
          {
            name: `${name}.vs_fetch`,
            value: perSecond(pages, t.collector.best),
            ceiling: perSecond(pages, t.fetch.best),
            ratio: t.fetch.best / t.collector.best,
            unit: 'pages/s',
            goal: null,
            size,
            note: 'the same run against bare undici fetching alone (the ceiling before storage was counted), for reference',
          },
          {
            name: `${name}.fetch`,
            value: perSecond(pages, t.fetch.best),
            ceiling: null,
            ratio: bound / t.fetch.best,
            unit: 'pages/s',
            goal: null,
            size,
            note: 'ceiling (a): bare undici request() + body.json(), 8 at a time; ratio = its speed / min(a, b) (1.00: it is the bound)',
          },
          {
            name: `${name}.write`,
            value: perSecond(pages, t.write.best),
            ceiling: null,
            ratio: bound / t.write.best,
            unit: 'pages/s',
            goal: null,
            size,
            note: `ceiling (b): the same ${pages * 100} records by ${writeName} in one transaction; ratio = its speed / min(a, b)`,
          },
        ];
        if (t.client) {
          results.push({
            name: `${name}.client`,
            value: perSecond(pages, t.client.best),
            ceiling: perSecond(pages, t.fetch.best),
            ratio: t.fetch.best / t.client.best,
            unit: 'pages/s',
            goal: { min: 0.9 },
            size,
            note: 'ApiClient.get + json() only (no storage) vs bare undici',
          });
        }
        return results;
      } finally {
        await writer.close();
      }
    });
  } finally {
    await server.close();
  }
}
