import { FRAMEWORK_TABLES } from '../dal/framework-tables';
import type { Row } from '../core/model';
import { dialectOf } from '../dal/dialects';
import type { Dal } from '../dal/types';

/**
 * Where a collection writes its raw rows until it completes. Readers of the
 * raw table never see a half-collected scope: on success the staged rows of a
 * raw table and params move into the raw table in one transaction (replacing
 * the old rows of a full sync); on a crash or cancel they stay here, next to
 * the checkpoint, for the next run to resume.
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
}

/** Stages rows built whole by the caller (no copy per row), in order. */
export async function stageRows(db: Dal, rows: readonly StagedRow[]): Promise<number> {
  return db.insert(RAW_STAGING_TABLE, rows as unknown as readonly Row[]);
}

/** Forgets the rows one unit staged, so that unit can start again from its first page. */
export async function discardStagedUnit(db: Dal, rawTable: string, params: string, unit: number): Promise<void> {
  await db.knex(RAW_STAGING_TABLE).where({ raw_table: rawTable, params, unit }).delete();
}

/** Forgets what an abandoned collection staged. */
export async function discardStaged(db: Dal, rawTable: string, params: string): Promise<void> {
  await db.knex(RAW_STAGING_TABLE).where({ raw_table: rawTable, params }).delete();
}

/**
 * Moves the staged rows into the raw table, in staging order (a staged page's
 * records in their order), and returns how many raw rows it wrote. With
 * `replace`, the raw table's rows of these params are deleted first. Call
 * inside a transaction.
 */
export async function publishStaged(db: Dal, rawTable: string, params: string, replace: boolean): Promise<number> {
  if (replace) await db.knex(rawTable).where({ params }).delete();
  const [{ n }] = (await db
    .knex(RAW_STAGING_TABLE)
    .where({ raw_table: rawTable, params })
    .select(db.knex.raw('coalesce(sum(coalesce(records, 1)), 0) as n'))) as Array<{ n: number | string }>;
  if (Number(n) > 0) {
    // Each database splits a staged page its own way (json_each, json_array_elements, JSON_TABLE).
    await dialectOf(db.dialect).publishStaged(db.knex, RAW_STAGING_TABLE, rawTable, params);
  }
  await discardStaged(db, rawTable, params);
  return Number(n);
}
