import type { Knex } from 'knex';
import { DevlakeError } from '../core/errors';
import type { Row } from '../core/model';
import { decodeRows } from './decode';
import type { SqlDialect } from './dialect';
import { dialectOf } from './dialects';
import type { OnConflict } from './driver';
import type { Dal, Dialect, StreamOptions, TransactionOptions, UpsertOptions } from './types';

const DEFAULT_BATCH_SIZE = 500; // rows, as DevLake's BatchSave
const DEFAULT_PAGE_SIZE = 1000; // rows per keyset page

/** Dal over a knex instance or transaction. */
export class KnexDal implements Dal {
  readonly knex: Knex;
  readonly dialect: Dialect;
  readonly safeUrl: string;
  readonly inTransaction: boolean;
  readonly #root: boolean;
  readonly #sql: SqlDialect;
  /** The last query sent through {@link KnexDal.#serial}; see there. */
  #lane: Promise<unknown> = Promise.resolve();

  constructor(knex: Knex, dialect: Dialect, safeUrl: string, inTransaction = false) {
    this.knex = knex;
    this.dialect = dialect;
    this.safeUrl = safeUrl;
    this.inTransaction = inTransaction;
    this.#root = !inTransaction;
    this.#sql = dialectOf(dialect);
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
    const sql = this.#sql;
    const ordered = (q: Knex.QueryBuilder, limit: number): Promise<T[]> =>
      sql.selectRows<T>(this.knex, q.orderBy(key.map((column) => ({ column, order: 'asc' }))).limit(limit), { exactIntegers: options.columns !== undefined });
    const page = (last: unknown[] | undefined): Promise<T[]> => this.#serial(() => keysetPage(last));
    const keysetPage = async (last: unknown[] | undefined): Promise<T[]> => {
      if (!last) return ordered(query(this.knex), pageSize);
      if (key.length === 1) return ordered(query(this.knex).where(key[0]!, '>', last[0] as Knex.Value), pageSize);
      return sql.keysetAfter(this.knex, query, key, last, pageSize, ordered);
    };
    const prefetch = sql.prefetchPages;
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
      // Decoded after the keyset bound is taken: the bound must stay the stored value (a timestamp's own text on SQLite).
      if (rows.length > 0) yield options.columns ? (decodeRows(rows as Row[], options.columns, sql.decoders) as T[]) : rows;
      if (next && !prefetch) {
        // A database answered in process (SQLite) never leaves the microtask queue: without a turn of the
        // event loop between pages, a loop over a large table runs to its end with no signal handler
        // (Ctrl-C), timer or heartbeat (the run lock's) getting to run.
        await yieldToEventLoop();
        pending = page(next);
      }
    }
  }

  async transaction<T>(fn: (tx: Dal) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return this.knex.transaction(async (trx) => {
      const restore = await this.#sql.applyTransactionOptions(trx, options);
      const tx = new KnexDal(trx, this.dialect, this.safeUrl, true);
      let result: T;
      try {
        result = await fn(tx);
      } catch (err) {
        // Writes still queued on the lane (a batch in flight when a cancel or error struck) would otherwise be
        // sent after knex's ROLLBACK, outside the transaction, and commit on their own: wait for them, then fail.
        await tx.#settled();
        throw err;
      }
      await restore?.();
      return result;
    });
  }

  /** Resolves once every query sent through {@link KnexDal.#serial} so far has settled. */
  async #settled(): Promise<void> {
    for (let seen: Promise<unknown> | undefined; seen !== this.#lane; ) {
      seen = this.#lane;
      await seen;
    }
  }

  jsonText(column: string, key: string): Knex.Raw {
    return this.#sql.jsonText(this.knex, column, key);
  }

  async hasTable(table: string): Promise<boolean> {
    // By name, not #sql: a Dal wrapped in a Proxy (tests do) has no private fields.
    const sql = dialectOf(this.dialect);
    return sql.hasTable ? sql.hasTable(this.knex, table) : this.knex.schema.hasTable(table);
  }

  async close(): Promise<void> {
    if (this.#root) await this.knex.destroy();
  }

  /**
   * Writes rows with cached prepared multi-row statements (see prepared-insert.ts),
   * no statement above the driver's parameter limit. Every row gets every column
   * (missing → NULL); database quirks are handled by the dialect's toDriver.
   */
  async #write(table: string, rows: readonly Row[], columns: string[], onConflict: OnConflict, batchSize = DEFAULT_BATCH_SIZE): Promise<number> {
    const sql = this.#sql;
    const perStatement = Math.max(1, Math.min(batchSize, sql.maxRows, Math.floor(sql.maxParams / Math.max(1, columns.length))));
    const values: unknown[] = new Array(rows.length * columns.length);
    let i = 0;
    for (const row of rows) {
      for (const c of columns) {
        const v = row[c];
        // Numbers and strings bind as they are on every driver except Postgres text with NUL; everything else goes through the dialect.
        values[i++] = v === undefined || v === null ? null : typeof v === 'number' ? v : sql.toDriver(v);
      }
    }
    await this.#serial(() => sql.executeInsert(this.knex, { table, columns, onConflict }, values, rows.length, perStatement));
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
}

/** Last row wins for rows sharing a primary key. */
export function dedupeByKey(rows: readonly Row[], primaryKey: readonly string[]): Row[] {
  if (primaryKey.length === 2 && !hasDuplicatePair(rows, primaryKey[0]!, primaryKey[1]!)) return [...rows];
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
 * Whether two rows share a two-column key of primitive parts (the usual
 * composite key: connection id and a tool id), without building a string per
 * row; parts compare as the Map keys of {@link compositeKey} do (1 and '1'
 * apart). True also when a part is not a primitive: the general path decides.
 */
function hasDuplicatePair(rows: readonly Row[], k0: string, k1: string): boolean {
  const seen = new Map<unknown, Set<unknown>>();
  for (const row of rows) {
    const a = row[k0] ?? null;
    const b = row[k1] ?? null;
    if ((a !== null && typeof a === 'object') || (b !== null && typeof b === 'object')) return true;
    let second = seen.get(a);
    if (!second) {
      second = new Set();
      seen.set(a, second);
    }
    if (second.has(b)) return true;
    second.add(b);
  }
  return false;
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

/** Every column any row sets, in first-seen order. */
function unionColumns(rows: readonly Row[]): string[] {
  // Rows of a batch nearly always have the first row's keys in its order: check that without a Set or an array per row.
  const first = Object.keys(rows[0] ?? {});
  let same = true;
  for (let r = 1; same && r < rows.length; r++) {
    let i = 0;
    for (const k in rows[r]) {
      if (k !== first[i++]) {
        same = false;
        break;
      }
    }
    if (i !== first.length) same = false;
  }
  if (same) return first;
  const seen = new Set<string>();
  for (const row of rows) for (const k of Object.keys(row)) seen.add(k);
  return [...seen];
}

/** Lets timers, I/O callbacks and signal handlers run: resolves on the next turn of the event loop. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
