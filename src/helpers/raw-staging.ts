import { FRAMEWORK_TABLES } from '../dal/framework-tables';
import type { Row } from '../core/model';
import { dialectOf } from '../dal/dialects';
import type { RawPage } from '../dal/dialect';
import type { Dal } from '../dal/types';
import { COLLECTOR_STATE_TABLE, saveCollectorCheckpoint } from './collector-state';

/**
 * The ledger of a collection in progress, per raw table and params. A page's
 * records are written straight into the raw table, once, and the page gets a
 * ledger row here (its unit, record count and the raw ids it took) in the
 * same transaction as its checkpoint: rows of the params from the smallest
 * pending id up are the unfinished collection's, which readers skip
 * ({@link pendingRawFrom}). On success one transaction deletes the params'
 * older rows (a full sync) and the ledger, and the new rows are the scope.
 *
 * A collection that stops (cancel, failure) parks its rows here as staged
 * rows (`data` set, no ids) so the raw table holds exactly the last complete
 * collection again; the next run resumes and publishes them with its own.
 * Rows staged by older versions (a page as a JSON array) are published the
 * same way.
 */

export const RAW_STAGING_TABLE = FRAMEWORK_TABLES.rawStaging;

/** Creates the staging table if needed (also when another collector races to create it). */
export async function ensureStagingTable(db: Dal): Promise<void> {
  if (await db.hasTable(RAW_STAGING_TABLE)) return;
  try {
    await db.knex.schema.createTable(RAW_STAGING_TABLE, (t) => {
      t.bigIncrements('id').primary();
      t.string('raw_table', 255).notNullable();
      t.text('params').notNullable();
      // The collector's unit (input ordinal) that staged the row, so one unit can be restarted alone.
      t.integer('unit');
      // Null: data is one record. A number: data is a page, a JSON array of that many records (objects or arrays).
      t.integer('records');
      t.text('data');
      t.text('url');
      t.text('input');
      t.timestamp('created_at', { useTz: true });
      // A ledger row: the page's records are the raw table's rows of the params with ids in this range.
      t.bigInteger('raw_from_id');
      t.bigInteger('raw_to_id');
      t.index(['raw_table', 'params'], `${RAW_STAGING_TABLE}_scope_idx`);
    });
  } catch (err) {
    if (!(await db.hasTable(RAW_STAGING_TABLE))) throw err;
  }
}

/** A row of the staging table as the collector writes it. */
export interface StagedRow {
  raw_table: string;
  params: string;
  /** The collector's unit (input ordinal) that fetched it. */
  unit: number | null;
  /** Null when `data` is one record; else `data` is a JSON array of this many records, each an object or array. */
  records: number | null;
  /** The record's JSON (null for a record JSON cannot represent, e.g. undefined), or the page's JSON array. */
  data: string | null;
  url: string;
  input: string | null;
  created_at: Date;
  /** A ledger row: the smallest and largest raw id of the page's rows (`data` is null, `records` their count). */
  raw_from_id?: number | null;
  raw_to_id?: number | null;
}

/** Stages rows built whole by the caller (no copy per row), in order. */
export async function stageRows(db: Dal, rows: readonly StagedRow[]): Promise<number> {
  return db.insert(RAW_STAGING_TABLE, rows as unknown as readonly Row[]);
}

/** A fetched page for {@link writeRawPages}: the unit that fetched it and its records. */
export interface PageWrite {
  unit: number;
  /** Its URL, redacted. */
  url: string;
  page: RawPage;
}

/**
 * Writes pages of a collection in progress: each page's records into the raw
 * table (one row per record, written once) and its ledger row. Call inside
 * the transaction that saves the checkpoint marking them done.
 */
export async function writeRawPages(db: Dal, rawTable: string, pages: readonly PageWrite[]): Promise<void> {
  const dialect = dialectOf(db.dialect);
  const ledger: StagedRow[] = [];
  for (const p of pages) {
    const ids = await dialect.insertRawPage(db.knex, rawTable, p.page);
    if (ids.rows === 0) continue;
    ledger.push({
      raw_table: rawTable,
      params: p.page.params,
      unit: p.unit,
      records: ids.rows,
      data: null,
      url: p.url,
      input: null,
      created_at: p.page.createdAt,
      raw_from_id: ids.fromId,
      raw_to_id: ids.toId,
    });
  }
  if (ledger.length > 0) await stageRows(db, ledger);
}

/**
 * A collector's group commit: the pages' raw rows and ledger rows (as
 * {@link writeRawPages}) with the checkpoint that marks them done, all or
 * nothing, without waiting for the log flush (a crash loses at most the last
 * commits whole, which the resume fetches again). Where the dialect can, it
 * is one round trip (Postgres: one statement); else one transaction.
 * `chain` names the collection (see {@link rawCommitsInFlight}).
 */
export async function commitRawPages(db: Dal, rawTable: string, params: string, pages: readonly PageWrite[], checkpoint: unknown, chain?: string): Promise<void> {
  const dialect = dialectOf(db.dialect);
  if (dialect.commitRawPages && !db.inTransaction && pages.every((p) => p.page.params === params)) {
    await dialect.commitRawPages(db.knex, {
      rawTable,
      stagingTable: RAW_STAGING_TABLE,
      stateTable: COLLECTOR_STATE_TABLE,
      params,
      pages,
      checkpoint: JSON.stringify(checkpoint),
      relaxed: true,
      ...(chain === undefined ? {} : { chain }),
    });
    return;
  }
  await db.transaction(
    async (tx) => {
      await writeRawPages(tx, rawTable, pages);
      await saveCollectorCheckpoint(tx, rawTable, params, checkpoint);
    },
    { durability: 'relaxed' },
  );
}

/**
 * How many {@link commitRawPages} of one collection, each with the same
 * `chain`, may be outstanding on `db` at once (see
 * SqlDialect.rawCommitsInFlight): 1 where a commit is a transaction of its
 * own, which neither keeps call order nor stops after a failure.
 */
export function rawCommitsInFlight(db: Dal): number {
  const dialect = dialectOf(db.dialect);
  return dialect.commitRawPages && !db.inTransaction ? Math.max(1, dialect.rawCommitsInFlight ?? 1) : 1;
}

/**
 * The smallest raw id of the unfinished collection of these params, or
 * undefined when none is in progress: readers of the committed scope take
 * the params' rows below it.
 */
export async function pendingRawFrom(db: Dal, rawTable: string, params: string): Promise<number | undefined> {
  if (!(await db.hasTable(RAW_STAGING_TABLE))) return undefined;
  const [row] = (await db
    .knex(RAW_STAGING_TABLE)
    .where({ raw_table: rawTable, params })
    .whereNotNull('raw_from_id')
    .min({ m: 'raw_from_id' })) as Array<{ m: number | string | null }>;
  return row?.m === null || row?.m === undefined ? undefined : Number(row.m);
}

/** Forgets the rows one unit wrote or staged, so that unit can start again from its first page. */
export async function discardStagedUnit(db: Dal, rawTable: string, params: string, unit: number): Promise<void> {
  const k = db.knex;
  await k(rawTable)
    .where('params', params)
    .whereExists(
      k(RAW_STAGING_TABLE)
        .where({ raw_table: rawTable, params, unit })
        .whereNotNull('raw_from_id')
        .whereRaw('?? between ?? and ??', [`${rawTable}.id`, `${RAW_STAGING_TABLE}.raw_from_id`, `${RAW_STAGING_TABLE}.raw_to_id`])
        .select(k.raw('1')),
    )
    .delete();
  await k(RAW_STAGING_TABLE).where({ raw_table: rawTable, params, unit }).delete();
}

/** Forgets what an abandoned collection wrote or staged. */
export async function discardStaged(db: Dal, rawTable: string, params: string): Promise<void> {
  const from = await pendingRawFrom(db, rawTable, params);
  if (from !== undefined) await db.knex(rawTable).where('params', params).where('id', '>=', from).delete();
  await db.knex(RAW_STAGING_TABLE).where({ raw_table: rawTable, params }).delete();
}

/**
 * Moves the rows an unfinished collection wrote into the raw table back into
 * the staging table (one staged row per record, with its unit), so the raw
 * table holds the last complete collection only. For a collection that
 * stops; the next run publishes them. Call inside a transaction.
 */
export async function parkPending(db: Dal, rawTable: string, params: string): Promise<number> {
  const from = await pendingRawFrom(db, rawTable, params);
  if (from === undefined) return 0;
  const k = db.knex;
  const S = RAW_STAGING_TABLE;
  await k.raw(
    `insert into ?? (raw_table, params, unit, records, data, url, input, created_at)
     select s.raw_table, s.params, s.unit, null, r.data, r.url, r.input, r.created_at
       from ?? r join ?? s on r.id between s.raw_from_id and s.raw_to_id
      where s.raw_table = ? and s.params = ? and s.raw_from_id is not null and r.params = ?
      order by r.id`,
    [S, rawTable, S, rawTable, params, params],
  );
  const moved = await k(rawTable).where('params', params).where('id', '>=', from).delete();
  await k(S).where({ raw_table: rawTable, params }).whereNotNull('raw_from_id').delete();
  return Number(moved);
}

/**
 * Before a resumed collection writes its next pages: moves the rows a
 * stopped run parked back into the raw table, unit by unit in the order they
 * were first fetched, as pending rows with their ledger, so the finished raw
 * table keeps the order in which the pages came. Call inside a transaction.
 */
export async function unparkStaged(db: Dal, rawTable: string, params: string): Promise<void> {
  const k = db.knex;
  const S = RAW_STAGING_TABLE;
  const parked = () => k(S).where({ raw_table: rawTable, params }).whereNull('raw_from_id').whereNull('records');
  const units = (await parked().select('unit').min({ first: 'id' }).groupBy('unit').orderBy('first')) as Array<{ unit: number | null }>;
  for (const { unit } of units) {
    const [{ m }] = (await k(rawTable).max({ m: 'id' })) as Array<{ m: number | string | null }>;
    const top = Number(m ?? 0);
    const ofUnit = unit === null ? 'unit is null' : 'unit = ?';
    await k.raw(
      `insert into ?? (params, data, url, input, created_at)
       select params, data, url, input, created_at from ??
        where raw_table = ? and params = ? and raw_from_id is null and records is null and ${ofUnit} order by id`,
      [rawTable, S, rawTable, params, ...(unit === null ? [] : [unit])],
    );
    // Ids only grow, and nothing else writes these params during a collection (the run lock).
    const [ids] = (await k(rawTable).where('params', params).where('id', '>', top).select(k.raw('count(*) as n, min(id) as lo, max(id) as hi'))) as Array<{
      n: number | string;
      lo: number | string | null;
      hi: number | string | null;
    }>;
    await parked().where({ unit }).delete();
    if (Number(ids.n) === 0) continue;
    await stageRows(db, [
      { raw_table: rawTable, params, unit, records: Number(ids.n), data: null, url: '', input: null, created_at: new Date(), raw_from_id: Number(ids.lo), raw_to_id: Number(ids.hi) },
    ]);
  }
}

/**
 * Makes the collection of these params the raw table's: with `replace` (a
 * full sync) the params' rows older than the collection's are deleted; rows
 * it wrote stay where they are, staged rows (parked, or from older versions)
 * are copied in, in staging order, and the ledger is cleared. Returns how
 * many raw rows the collection holds. Call inside a transaction.
 */
export async function publishStaged(db: Dal, rawTable: string, params: string, replace: boolean): Promise<number> {
  const from = await pendingRawFrom(db, rawTable, params);
  if (replace) {
    const old = db.knex(rawTable).where({ params });
    await (from === undefined ? old : old.where('id', '<', from)).delete();
  }
  const [{ written, staged }] = (await db
    .knex(RAW_STAGING_TABLE)
    .where({ raw_table: rawTable, params })
    .select(
      db.knex.raw('coalesce(sum(case when raw_from_id is null then 0 else records end), 0) as written'),
      db.knex.raw('coalesce(sum(case when raw_from_id is null then coalesce(records, 1) else 0 end), 0) as staged'),
    )) as Array<{ written: number | string; staged: number | string }>;
  if (Number(staged) > 0) {
    // Each database splits a staged page its own way (json_each, json_array_elements, JSON_TABLE).
    await dialectOf(db.dialect).publishStaged(db.knex, RAW_STAGING_TABLE, rawTable, params);
  }
  await db.knex(RAW_STAGING_TABLE).where({ raw_table: rawTable, params }).delete();
  return Number(written) + Number(staged);
}
