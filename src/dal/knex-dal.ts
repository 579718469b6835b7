import type { Knex } from 'knex';
import { DevlakeError } from '../core/errors';
import type { Row } from '../core/model';
import { executeInsert, sqliteStatement, withDriverConnection, type OnConflict, type SqliteConnection } from './prepared-insert';
import type { Dal, Dialect, StreamOptions, UpsertOptions } from './types';

/** Bound parameters per statement, below each driver's limit (SQLite 32766, Postgres 65535). */
const MAX_PARAMS: Record<Dialect, number> = { sqlite: 32000, postgres: 65000 };
/** Rows per statement: larger SQLite statements gain nothing and cost more to prepare. */
const MAX_ROWS: Record<Dialect, number> = { sqlite: 500, postgres: 10000 };
const DEFAULT_BATCH_SIZE = 500; // rows, as DevLake's BatchSave
const DEFAULT_PAGE_SIZE = 1000; // rows per keyset page

/** Dal over a knex instance or transaction. */
export class KnexDal implements Dal {
  readonly knex: Knex;
  readonly dialect: Dialect;
  readonly safeUrl: string;
  readonly inTransaction: boolean;
  readonly #root: boolean;
  /** The last query sent through {@link KnexDal.#serial}; see there. */
  #lane: Promise<unknown> = Promise.resolve();

  constructor(knex: Knex, dialect: Dialect, safeUrl: string, inTransaction = false) {
    this.knex = knex;
    this.dialect = dialect;
    this.safeUrl = safeUrl;
    this.inTransaction = inTransaction;
    this.#root = !inTransaction;
  }

  async upsert(table: string, rows: readonly Row[], options: UpsertOptions): Promise<number> {
    if (options.primaryKey.length === 0) {
      throw new DevlakeError('DEVLAKE_E_DB_ARGUMENT', `upsert into "${table}" needs a primary key`);
    }
    if (rows.length === 0) return 0;
    const deduped = dedupeByKey(rows, options.primaryKey);
    const columns = unionColumns(deduped);
    const pk = [...options.primaryKey];
    const merge = columns.filter((c) => !pk.includes(c));
    return this.#write(table, deduped, columns, { keys: pk, merge }, options.batchSize);
  }

  async insert(table: string, rows: readonly Row[], options: { batchSize?: number } = {}): Promise<number> {
    if (rows.length === 0) return 0;
    return this.#write(table, rows, unionColumns(rows), null, options.batchSize);
  }

  async *stream<T extends Row = Row>(query: (db: Knex) => Knex.QueryBuilder, options: StreamOptions): AsyncIterable<T> {
    for await (const rows of this.streamPages<T>(query, options)) yield* rows;
  }

  async *streamPages<T extends Row = Row>(query: (db: Knex) => Knex.QueryBuilder, options: StreamOptions): AsyncIterable<T[]> {
    const key = [...options.key];
    if (key.length === 0) throw new DevlakeError('DEVLAKE_E_DB_ARGUMENT', 'stream() needs at least one key column');
    const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    const props = key.map((k) => k.slice(k.lastIndexOf('.') + 1));
    const ordered = (q: Knex.QueryBuilder, limit: number): Promise<T[]> => {
      const query = q.orderBy(key.map((column) => ({ column, order: 'asc' }))).limit(limit);
      if (this.dialect === 'sqlite') return this.#sqliteAll<T>(query);
      // then() sends the query now: a knex builder runs only when awaited.
      return query.then((rows: unknown) => rows as T[]);
    };
    const page = (last: unknown[] | undefined): Promise<T[]> => this.#serial(() => keysetPage(last));
    const keysetPage = async (last: unknown[] | undefined): Promise<T[]> => {
      if (!last) return ordered(query(this.knex), pageSize);
      if (key.length === 1) return ordered(query(this.knex).where(key[0]!, '>', last[0] as Knex.Value), pageSize);
      if (this.dialect === 'sqlite') return this.#sqliteKeysetPage(query, key, last, pageSize, ordered);
      return ordered(
        query(this.knex).whereRaw(`(${key.map(() => '??').join(', ')}) > (${key.map(() => '?').join(', ')})`, [
          ...key,
          ...(last as Knex.Value[]),
        ]),
        pageSize,
      );
    };
    // Postgres: the next page is requested as soon as this one arrives, so the
    // server reads it while the caller works on this one (two pages held at most).
    // SQLite answers synchronously: nothing to overlap.
    const prefetch = this.dialect === 'postgres';
    let pending: Promise<T[]> | undefined = page(undefined);
    while (pending) {
      const rows: T[] = await pending;
      pending = undefined;
      const full = rows.length >= pageSize;
      const tail = rows[rows.length - 1] as Row | undefined;
      const next = full && tail ? props.map((p) => tail[p]) : undefined;
      if (next && prefetch) {
        pending = page(next);
        pending.catch(() => undefined); // a caller that stops early must not leave an unhandled rejection
      }
      if (rows.length > 0) yield rows;
      if (next && !prefetch) pending = page(next);
    }
  }

  /**
   * The rows after `last` in key order, as up to one query per key column:
   * same (k0…ki-1) and a larger ki, deepest level first. SQLite cannot combine
   * a row-value bound `(k0, k1) > (?, ?)` with an equality the caller puts on
   * k0 (a converter's `where connection_id = 1`): it then scans every row of
   * that k0 for each page, quadratic in the table. Each level here is an
   * index range (k0 = ? AND k1 > ?), and the levels are consecutive in key order.
   */
  async #sqliteKeysetPage<T>(
    query: (db: Knex) => Knex.QueryBuilder,
    key: readonly string[],
    last: readonly unknown[],
    pageSize: number,
    ordered: (q: Knex.QueryBuilder, limit: number) => Promise<T[]>,
  ): Promise<T[]> {
    const out: T[] = [];
    for (let level = key.length - 1; level >= 0 && out.length < pageSize; level--) {
      let q = query(this.knex);
      for (let j = 0; j < level; j++) q = q.where(key[j]!, last[j] as Knex.Value);
      q = q.where(key[level]!, '>', last[level] as Knex.Value);
      for (const row of await ordered(q, pageSize - out.length)) out.push(row);
    }
    return out;
  }

  /**
   * Runs a SELECT builder on SQLite through a statement kept prepared on the
   * connection: knex prepares every query anew, which cost a third of reading
   * a table page by page. Bindings go through the client's own conversion
   * (booleans as 0/1, dates as ISO text: see sqliteClient in connect.ts).
   */
  async #sqliteAll<T>(query: Knex.QueryBuilder): Promise<T[]> {
    const { sql, bindings } = query.toSQL().toNative();
    const values = (this.knex.client as { _formatBindings(bindings: readonly unknown[]): unknown[] })._formatBindings(bindings);
    return withDriverConnection<SqliteConnection, T[]>(this.knex, (conn) => sqliteStatement(conn, sql).all(values) as T[]);
  }

  async transaction<T>(fn: (tx: Dal) => Promise<T>): Promise<T> {
    return this.knex.transaction(async (trx) => fn(new KnexDal(trx, this.dialect, this.safeUrl, true)));
  }

  async hasTable(table: string): Promise<boolean> {
    return this.knex.schema.hasTable(table);
  }

  async close(): Promise<void> {
    if (this.#root) await this.knex.destroy();
  }

  /**
   * Writes rows with cached prepared multi-row statements (see prepared-insert.ts),
   * no statement above the driver's parameter limit. Every row gets every column
   * (missing → NULL); database quirks are handled in #value.
   */
  async #write(table: string, rows: readonly Row[], columns: string[], onConflict: OnConflict, batchSize = DEFAULT_BATCH_SIZE): Promise<number> {
    const perStatement = Math.max(1, Math.min(batchSize, MAX_ROWS[this.dialect], Math.floor(MAX_PARAMS[this.dialect] / Math.max(1, columns.length))));
    const values: unknown[] = new Array(rows.length * columns.length);
    let i = 0;
    for (const row of rows) {
      for (const c of columns) {
        const v = row[c];
        values[i++] = v === undefined || v === null ? null : this.#value(v);
      }
    }
    await this.#serial(() => executeInsert(this.knex, this.dialect, { table, columns, onConflict }, values, rows.length, perStatement));
    return rows.length;
  }

  /**
   * Runs `fn` once the previous query sent through here has settled. In a
   * transaction (one connection) a keyset page fetched ahead and a batch write
   * kept in flight (BatchSaveDivider) may overlap; this sends them one after
   * the other, in call order, rather than leaning on the driver's query queue
   * (deprecated in pg 8, removed in pg 9). Outside a transaction every query
   * takes its own pooled connection.
   */
  #serial<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.inTransaction) return fn();
    const run = this.#lane.then(fn, fn);
    this.#lane = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  #value(v: unknown): unknown {
    // Ordered by how often each type comes (strings, numbers): this runs once per value written.
    switch (typeof v) {
      case 'string':
        // Postgres text cannot hold NUL; DevLake strips it too.
        return this.dialect === 'postgres' && v.includes('\u0000') ? v.replace(/\u0000/g, '') : v;
      case 'number':
      case 'bigint':
        return v;
      case 'boolean':
        return this.dialect === 'sqlite' ? (v ? 1 : 0) : v;
      case 'object':
        if (v instanceof Date) return this.dialect === 'sqlite' ? v.toISOString() : v;
        return v === null || Buffer.isBuffer(v) ? v : JSON.stringify(v);
      default:
        return v;
    }
  }
}

/** Last row wins for rows sharing a primary key. */
export function dedupeByKey(rows: readonly Row[], primaryKey: readonly string[]): Row[] {
  const single = primaryKey.length === 1 ? primaryKey[0]! : undefined;
  const byKey = new Map<unknown, Row>();
  for (const row of rows) {
    // A single primitive key is its own map key (1 and '1' stay apart, as in JSON); anything else goes through JSON.
    const v = single === undefined ? undefined : (row[single] ?? null);
    const key = single !== undefined && (v === null || typeof v !== 'object') ? v : compositeKey(row, primaryKey);
    byKey.delete(key); // keep the last occurrence's position
    byKey.set(key, row);
  }
  return byKey.size === rows.length ? [...rows] : [...byKey.values()];
}

/**
 * One string per distinct composite key, cheaper than JSON (this runs once per
 * row written): strings length-prefixed, numbers NUL-terminated, each tagged
 * with its type so 1 and '1' stay apart; any other part falls back to JSON
 * (which starts with '[', never 's' or 'n').
 */
function compositeKey(row: Row, primaryKey: readonly string[]): string {
  let key = '';
  for (const k of primaryKey) {
    const v = row[k];
    if (typeof v === 'string') key += `s${v.length}:${v}`;
    else if (typeof v === 'number') key += `n${v}\u0000`;
    else return JSON.stringify(primaryKey.map((p) => keyPart(row[p])));
  }
  return key;
}

/** A key value as JSON can hold it: bigint as its digits, missing as null. */
function keyPart(v: unknown): unknown {
  return typeof v === 'bigint' ? `${v}n` : (v ?? null);
}

function unionColumns(rows: readonly Row[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const k of Object.keys(row)) seen.add(k);
  return [...seen];
}
