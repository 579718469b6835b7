import { randomUUID } from 'node:crypto';
import { frameworkMigrations } from '../../src/dal/framework-migrations';
import { migrate } from '../../src/dal/migrator';
import { ensureRawTable } from '../../src/dal/raw-table';
import type { Dal, Dialect } from '../../src/dal/types';
import { markCollectorSuccess } from '../../src/helpers/collector-state';
import { commitRawPages, ensureStagingTable, publishStaged, rawCommitsInFlight } from '../../src/helpers/raw-staging';
import { forEachPooledBatch, PARAMS } from './data';
import { settleWrites, withBenchDb, type BenchDb } from './db';
import type { BenchContext, BenchResult, Goal } from './measure';
import { bestOf, perSecond, samplesText, type Trial } from './timing';

/** Rows per collector write: one page (collect_http pages hold 100 records). */
export const PAGE_ROWS = 100;
/** Rows per `Dal.insert` call of the write primitive: DevLake's batch size. */
export const BATCH_ROWS = 500;

/** Raw rows the raw_insert measures write. */
export function rawInsertRows(quick: boolean): number {
  return quick ? 20_000 : 100_000;
}

/** Our write primitive: `Dal.insert` one batch at a time, in one transaction like the ceiling. */
export async function oursRawInsert(dal: Dal, table: string, total: number): Promise<number> {
  await ensureRawTable(dal, table);
  const start = process.hrtime.bigint();
  await dal.transaction(async (tx) => {
    await forEachPooledBatch(total, BATCH_ROWS, async (rows) => {
      await tx.insert(table, rows);
    });
  });
  await settleWrites(dal);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * The ApiCollector's own raw writes, without HTTP: per page of 100 records a
 * transaction writing the page's rows into the raw table (the database splits
 * the page's JSON array, as the collector hands it the response text) with
 * the page's ledger row and the checkpoint (page-level resume), then one
 * publishing transaction (a full sync: the params' older rows deleted, the
 * ledger cleared). The collector groups the pages that arrive together into
 * one commit (`commitRawPages`, as here: one statement on Postgres, a
 * transaction elsewhere); here every page has its own, the collector's worst case.
 * As the collector, it sends the next commit while one is written where the
 * database keeps them in order (`rawCommitsInFlight`: SQLite, MySQL).
 */
export async function collectorRawWrites(dal: Dal, table: string, total: number): Promise<number> {
  await ensureRawTable(dal, table);
  const checkpoint = {
    v: 1,
    fingerprint: 'bench',
    mode: 'full',
    since: null,
    timeAfter: null,
    startedAt: new Date().toISOString(),
    doneBelow: 0,
    done: [] as number[],
    units: {} as Record<string, unknown>,
  };
  const inFlight = rawCommitsInFlight(dal);
  const chain = randomUUID();
  const sent: Array<Promise<void>> = [];
  const start = process.hrtime.bigint();
  await forEachPooledBatch(total, PAGE_ROWS, async (rows, first) => {
    checkpoint.units['0'] = { next: { page: first / PAGE_ROWS + 2 } };
    const [row] = rows;
    const page = { params: PARAMS, data: `[${rows.map((r) => r.data).join(',')}]`, url: row!.url, input: row!.input, createdAt: new Date(row!.created_at) };
    const commit = commitRawPages(dal, table, PARAMS, [{ unit: 0, url: row!.url, page }], checkpoint, chain);
    // Awaited in turn; one left behind by an earlier failure must not be reported as unhandled.
    commit.catch(() => undefined);
    sent.push(commit);
    if (sent.length >= inFlight) await sent.shift();
  });
  await Promise.all(sent);
  await dal.transaction(async (tx) => {
    await publishStaged(tx, table, PARAMS, true);
    await markCollectorSuccess(tx, table, PARAMS, { startedAt: new Date(checkpoint.startedAt) });
  });
  await settleWrites(dal);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * raw_insert_<dialect>: the Dal write primitive and the collector's full raw
 * write path (staging + checkpoints + publish), each against `ceiling`.
 */
export async function rawInsertMeasure(
  dialect: Dialect,
  name: string,
  goal: Goal,
  ceilingName: string,
  ceiling: (db: BenchDb) => { trial: (table: string, total: number) => Promise<number>; close(): Promise<void> | void },
  { quick, log }: BenchContext,
): Promise<BenchResult[]> {
  const total = rawInsertRows(quick);
  return withBenchDb(dialect, async (db) => {
    await migrate(db.dal, [{ owner: 'framework', scripts: frameworkMigrations }]);
    await ensureStagingTable(db.dal);
    const c = ceiling(db);
    try {
      const trials: Record<'ceiling' | 'dal' | 'collector', Trial> = {
        ceiling: async (r) => {
          const table = `_raw_bench_ceiling_${r}`;
          await ensureRawTable(db.dal, table);
          return c.trial(table, total);
        },
        dal: (r) => oursRawInsert(db.dal, `_raw_bench_dal_${r}`, total),
        collector: (r) => collectorRawWrites(db.dal, `_raw_bench_collector_${r}`, total),
      };
      const t = await bestOf(quick ? 2 : 5, trials);
      log(`${name}: Dal.insert ${samplesText(t.dal.samples)} ms, collector path ${samplesText(t.collector.samples)} ms, ${ceilingName} ${samplesText(t.ceiling.samples)} ms`);
      const size = `${total} rows of ~1 KB`;
      return [
        {
          name,
          value: perSecond(total, t.dal.best),
          ceiling: perSecond(total, t.ceiling.best),
          ratio: t.ceiling.best / t.dal.best,
          unit: 'rows/s',
          goal,
          size,
          note: `Dal.insert of ${BATCH_ROWS} rows a call, one transaction, vs ${ceilingName}`,
        },
        {
          name: `${name}.collector`,
          value: perSecond(total, t.collector.best),
          ceiling: perSecond(total, t.ceiling.best),
          ratio: t.ceiling.best / t.collector.best,
          unit: 'rows/s',
          // Issue 18: the collector's raw writes on every database.
          goal: { min: 0.85 },
          size,
          note: `ApiCollector raw writes: per page of ${PAGE_ROWS} records a transaction writing its rows once with its ledger row and the checkpoint, then one publish; vs ${ceilingName}`,
        },
      ];
    } finally {
      await c.close();
    }
  });
}
