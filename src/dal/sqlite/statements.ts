/** better-sqlite3 statements kept prepared per connection: knex prepares every query anew. */

interface SqliteStatement {
  run(params: unknown[]): unknown;
  all(params: unknown[]): unknown[];
  /** Integers as BigInt (exact beyond 2^53) while on; the setting stays with the statement. */
  safeIntegers(on: boolean): SqliteStatement;
  /** Rows as arrays of values while on (a statement that returns rows only). */
  raw(on: boolean): SqliteStatement;
  /** The result columns, in order. */
  columns(): Array<{ name: string }>;
}

/** A better-sqlite3 connection, as far as the hot paths use it. */
export interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}

/** Statements kept per connection; shapes are few (see `statementSizes`), the cap only guards odd callers. */
const CACHE_LIMIT = 64;
const statements = new WeakMap<object, Map<string, SqliteStatement>>();

/** A statement for `sql`, prepared once per connection and kept (least recently used out first). */
export function sqliteStatement(conn: SqliteConnection, sql: string): SqliteStatement {
  let cache = statements.get(conn);
  if (!cache) {
    cache = new Map();
    statements.set(conn, cache);
  }
  let stmt = cache.get(sql);
  if (stmt) {
    cache.delete(sql); // re-insert: the Map's order is the recency order
  } else {
    stmt = conn.prepare(sql);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  }
  cache.set(sql, stmt);
  return stmt;
}

const columnNames = new WeakMap<SqliteStatement, string[]>();

/**
 * The rows of a statement that returns rows, as objects built here from
 * better-sqlite3's arrays: its own objects cost more (100 k raw rows of ~1 KB
 * in pages of 500: ~450 ms as objects, ~330 ms as arrays made objects here).
 * A name given twice (a join's `a.id, b.id`) keeps its last value, as better-sqlite3 does.
 */
export function allObjects(stmt: SqliteStatement, values: unknown[]): Array<Record<string, unknown>> {
  const arrays = stmt.raw(true).all(values) as unknown[][];
  let names = columnNames.get(stmt);
  if (!names) {
    names = stmt.columns().map((c) => c.name);
    columnNames.set(stmt, names);
  }
  return objectsOf(arrays, names);
}

/** Rows as arrays of values → rows as objects keyed by `names` (a name given twice keeps its last value). */
export function objectsOf(arrays: readonly unknown[][], names: readonly string[]): Array<Record<string, unknown>> {
  const rows: Array<Record<string, unknown>> = new Array(arrays.length);
  for (let i = 0; i < arrays.length; i++) {
    const values = arrays[i]!;
    const row: Record<string, unknown> = {};
    for (let c = 0; c < names.length; c++) row[names[c]!] = values[c];
    rows[i] = row;
  }
  return rows;
}
