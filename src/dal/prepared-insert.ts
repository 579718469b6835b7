import type { Knex } from 'knex';
import { dialectOf } from './dialects';
import type { InsertPlan } from './driver';
import type { Dialect } from './types';

/**
 * The hot write path of `Dal.insert`/`Dal.upsert`: multi-row INSERT statements
 * compiled once per shape and kept prepared on the connection, executed on the
 * driver directly, each dialect its own way (src/dal/<dialect>/). knex
 * re-compiles and re-prepares every chunk (and writes SQLite multi-row inserts
 * as a 500-term compound SELECT), which costs more than the write itself: see
 * bench/ (raw_insert_*, extract_*).
 */

export { statementSizes, withDriverConnection, type InsertPlan, type OnConflict } from './driver';

/** The INSERT … VALUES (…), (…) [on conflict …] statement of `dialect` for `rowCount` rows. */
export function insertSql(dialect: Dialect, plan: InsertPlan, rowCount: number): string {
  return dialectOf(dialect).insertSql(plan, rowCount);
}

/**
 * Writes `rowCount` rows whose values are `values` (row-major, already converted
 * for the driver) on the connection `knex` uses (the transaction's own when
 * `knex` is a transaction), `perStatement` rows at a time.
 */
export async function executeInsert(knex: Knex, dialect: Dialect, plan: InsertPlan, values: unknown[], rowCount: number, perStatement: number): Promise<void> {
  await dialectOf(dialect).executeInsert(knex, plan, values, rowCount, perStatement);
}
