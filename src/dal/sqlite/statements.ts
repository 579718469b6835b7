/** better-sqlite3 statements kept prepared per connection: knex prepares every query anew. */

interface SqliteStatement {
  run(params: unknown[]): unknown;
  all(params: unknown[]): unknown[];
  /** Integers as BigInt (exact beyond 2^53) while on; the setting stays with the statement. */
  safeIntegers(on: boolean): SqliteStatement;
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
