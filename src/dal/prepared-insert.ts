import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { Dialect } from './types';

/**
 * The hot write path of `Dal.insert`/`Dal.upsert`: multi-row INSERT statements
 * compiled once per shape and kept prepared on the connection (better-sqlite3
 * statements cached per connection, Postgres named statements), executed on
 * the driver directly. knex re-compiles and re-prepares every chunk (and
 * writes SQLite multi-row inserts as a 500-term compound SELECT), which costs
 * more than the write itself: see bench/ (raw_insert_*, extract_*).
 */

/** What to do with a row whose key already exists. */
export type OnConflict =
  | { keys: readonly string[]; merge: readonly string[] } // DO UPDATE SET merge = excluded.merge (DO NOTHING when empty)
  | null; // plain INSERT

/** One table, column list and conflict rule: the statements of a batch write. */
export interface InsertPlan {
  table: string;
  columns: readonly string[];
  onConflict: OnConflict;
}

/** Statements kept per SQLite connection; shapes are few (see `statementSizes`), the cap only guards odd callers. */
const SQLITE_CACHE_LIMIT = 64;

interface SqliteStatement {
  run(params: unknown[]): unknown;
  all(params: unknown[]): unknown[];
}
/** A better-sqlite3 connection, as far as the hot paths use it. */
export interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}
interface PgConnection {
  query(config: { name: string; text: string; values: unknown[] }): Promise<unknown>;
}

const sqliteStatements = new WeakMap<object, Map<string, SqliteStatement>>();

/** `"a"`, `"s"."t"`: identifiers quoted as knex quotes them (a dot separates the schema). */
export function quoteIdentifier(name: string): string {
  return name
    .split('.')
    .map((part) => `"${part.replace(/"/g, '""')}"`)
    .join('.');
}

/** The INSERT … VALUES (…), (…) [ON CONFLICT …] statement for `rowCount` rows. */
export function insertSql(dialect: Dialect, plan: InsertPlan, rowCount: number): string {
  const width = plan.columns.length;
  let n = 0;
  const tuples: string[] = new Array(rowCount);
  for (let r = 0; r < rowCount; r++) {
    const marks: string[] = new Array(width);
    for (let c = 0; c < width; c++) marks[c] = dialect === 'postgres' ? `$${++n}` : '?';
    tuples[r] = `(${marks.join(', ')})`;
  }
  let sql = `INSERT INTO ${quoteIdentifier(plan.table)} (${plan.columns.map(quoteIdentifier).join(', ')}) VALUES ${tuples.join(', ')}`;
  if (plan.onConflict) {
    const keys = plan.onConflict.keys.map(quoteIdentifier).join(', ');
    sql +=
      plan.onConflict.merge.length === 0
        ? ` ON CONFLICT (${keys}) DO NOTHING`
        : ` ON CONFLICT (${keys}) DO UPDATE SET ${plan.onConflict.merge.map((c) => `${quoteIdentifier(c)} = excluded.${quoteIdentifier(c)}`).join(', ')}`;
  }
  return sql;
}

/**
 * Rows per statement for `total` rows: full statements of `perStatement`, then
 * the remainder as powers of two, so a table needs at most ~log2(perStatement)
 * statement shapes however the batches end (e.g. 1234 by 500: 500, 500, 128, 64, 32, 8, 2).
 */
export function statementSizes(total: number, perStatement: number): number[] {
  const sizes: number[] = [];
  let left = total;
  while (left >= perStatement) {
    sizes.push(perStatement);
    left -= perStatement;
  }
  for (let bit = 1 << 30; bit >= 1; bit >>>= 1) if (left & bit) sizes.push(bit);
  return sizes;
}

/**
 * Writes `rowCount` rows whose values are `values` (row-major, already converted
 * for the driver) on the connection `knex` uses (the transaction's own when
 * `knex` is a transaction), `perStatement` rows at a time.
 */
export async function executeInsert(
  knex: Knex,
  dialect: Dialect,
  plan: InsertPlan,
  values: unknown[],
  rowCount: number,
  perStatement: number,
): Promise<void> {
  await withDriverConnection<SqliteConnection | PgConnection>(knex, async (conn) => {
    const width = plan.columns.length;
    let offset = 0;
    for (const size of statementSizes(rowCount, perStatement)) {
      const params = values.slice(offset * width, (offset + size) * width);
      const { sql, name } = compiled(dialect, plan, size);
      if (dialect === 'sqlite') sqliteStatement(conn as SqliteConnection, sql).run(params);
      // A named statement is parsed once per connection; pg remembers the names it prepared.
      else await (conn as PgConnection).query({ name, text: sql, values: params });
      offset += size;
    }
  });
}

/**
 * Runs `fn` with the driver connection `knex` uses (a transaction's own when
 * `knex` is a transaction, else one from the pool, given back after).
 */
export async function withDriverConnection<C, T = void>(knex: Knex, fn: (conn: C) => T | Promise<T>): Promise<T> {
  const client = knex.client as { acquireConnection(): Promise<C>; releaseConnection(conn: C): Promise<unknown> };
  const conn = await client.acquireConnection();
  try {
    return await fn(conn);
  } finally {
    await client.releaseConnection(conn);
  }
}

const compiledCache = new Map<string, { sql: string; name: string }>();
const COMPILED_CACHE_LIMIT = 256;

/** The SQL text (and its Postgres statement name) of a shape, built once. */
function compiled(dialect: Dialect, plan: InsertPlan, rowCount: number): { sql: string; name: string } {
  const key = JSON.stringify([dialect, plan.table, plan.columns, plan.onConflict, rowCount]);
  let hit = compiledCache.get(key);
  if (!hit) {
    const sql = insertSql(dialect, plan, rowCount);
    hit = { sql, name: statementName(sql) };
    if (compiledCache.size >= COMPILED_CACHE_LIMIT) compiledCache.delete(compiledCache.keys().next().value as string);
    compiledCache.set(key, hit);
  }
  return hit;
}

/** A better-sqlite3 statement for `sql`, prepared once per connection and kept (most recently used first out last). */
export function sqliteStatement(conn: SqliteConnection, sql: string): SqliteStatement {
  let cache = sqliteStatements.get(conn);
  if (!cache) {
    cache = new Map();
    sqliteStatements.set(conn, cache);
  }
  let stmt = cache.get(sql);
  if (stmt) {
    cache.delete(sql); // re-insert: the Map's order is the recency order
  } else {
    stmt = conn.prepare(sql);
    if (cache.size >= SQLITE_CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  }
  cache.set(sql, stmt);
  return stmt;
}

/** A Postgres statement name (≤ 63 bytes) that differs whenever the text does. */
function statementName(sql: string): string {
  return `devlake_${createHash('sha1').update(sql).digest('hex')}`;
}
