import { Worker } from 'node:worker_threads';
import type { Knex } from 'knex';
import { quoteIdentifier } from '../ansi-sql';
import type { DetachedWriter } from '../detached-writer';
import { statementSizes, type InsertPlan } from '../driver';
import { writerThreadSource, type WriterReply, type WriterRequest, type WriterThreadData } from './writer-thread';

/**
 * Requests queued ahead of the thread (a request is one batch, ≤ 500 rows):
 * enough that the thread never waits for the next batch, few enough that
 * memory stays flat however many rows an extraction writes.
 */
const MAX_QUEUED = 4;

interface Pending {
  fail: (err: Error) => Error;
}



/**
 * A write transaction on a better-sqlite3 connection owned by a worker thread:
 * better-sqlite3 is synchronous, so on the event loop's connection every
 * write stops the reading and transforming that could go on meanwhile. WAL
 * lets the main connection read committed rows while this one writes.
 * Undefined for an in-memory database (no other connection can see it).
 */
export function openSqliteThreadWriter(knex: Knex, insertSql: (plan: InsertPlan, rowCount: number) => string): DetachedWriter | undefined {
  const filename = (knex.client as { config?: { connection?: { filename?: unknown } } }).config?.connection?.filename;
  if (typeof filename !== 'string' || filename === '' || filename === ':memory:' || filename.startsWith('file:')) return undefined;
  return new SqliteThreadWriter({ filename, driver: require.resolve('better-sqlite3') }, insertSql);
}

class SqliteThreadWriter implements DetachedWriter {
  readonly #worker: Worker;
  readonly #insertSql: (plan: InsertPlan, rowCount: number) => string;
  /** Requests sent and not yet answered, in order (the thread answers in order). */
  readonly #pending: Pending[] = [];
  /** Callers waiting for the queue to shrink (room) or empty (settled). */
  #wake: Array<() => void> = [];
  #failure: Error | undefined;
  /** Numbers of the SQL texts the thread has prepared. */
  readonly #ids = new Map<string, number>();

  #ended = false;
  readonly #exited: Promise<void>;

  constructor(data: WriterThreadData, insertSql: (plan: InsertPlan, rowCount: number) => string) {
    this.#insertSql = insertSql;
    // A small young generation: the thread holds a few batches at a time, and each MB of semi-space is resident memory.
    this.#worker = new Worker(writerThreadSource, { eval: true, workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    this.#worker.on('message', (reply: WriterReply) => this.#answer(reply));
    this.#worker.on('error', (err) => this.#fail(err));
    this.#exited = new Promise((resolve) => {
      this.#worker.once('exit', () => {
        if (this.#pending.length > 0 || !this.#ended) this.#fail(new Error('the SQLite writer thread stopped'));
        resolve();
      });
    });
    // BEGIN IMMEDIATE: take the write lock now (waiting up to busy_timeout), not at the first write.
    this.#send(this.#request(['BEGIN IMMEDIATE'], []), (err) => err);
  }

  async deleteWhere(table: string, where: Readonly<Record<string, unknown>>, fail: (err: Error) => Error): Promise<void> {
    const keys = Object.keys(where);
    const sql = `DELETE FROM ${quoteIdentifier(table)} WHERE ${keys.map((k) => `${quoteIdentifier(k)} = ?`).join(' AND ')}`;
    await this.#queue(this.#request([sql], keys.map((k) => where[k])), fail);
  }

  async insert(plan: InsertPlan, values: unknown[], rowCount: number, perStatement: number, fail: (err: Error) => Error): Promise<void> {
    const width = plan.columns.length;
    const sizes = statementSizes(rowCount, perStatement);
    await this.#queue(this.#request(sizes.map((size) => this.#insertSql(plan, size)), values, sizes.map((size) => size * width)), fail);
  }

  /**
   * Reads on the thread's connection (committed rows, and its own writes),
   * pages ahead of the caller, between its writes: the rows come as arrays,
   * so this thread only makes objects of them. One scan at a time.
   */
  /** The number of a SQL text, and the text itself the first time (the thread keeps it prepared by number). */
  #numbered(sql: string): [number, string | undefined] {
    const id = this.#ids.get(sql);
    if (id !== undefined) return [id, undefined];
    this.#ids.set(sql, this.#ids.size);
    return [this.#ids.size - 1, sql];
  }

  async commit(): Promise<void> {
    try {
      await this.#until(() => this.#pending.length === 0);
      this.#throwIfFailed();
      this.#send(this.#request(['COMMIT'], []), (err) => err);
      await this.#until(() => this.#pending.length === 0);
      this.#throwIfFailed();
    } catch (err) {
      await this.rollback();
      throw err;
    }
    await this.#end();
  }

  async rollback(): Promise<void> {
    if (this.#ended) return;
    // `always`: runs even after a failed request. A rollback with no transaction open (BEGIN failed) fails harmlessly.
    this.#send({ ...this.#request(['ROLLBACK'], []), always: true }, (err) => err);
    await this.#until(() => this.#pending.length === 0);
    await this.#end();
  }

  /** Statements `sql[i]` bound to `values` cut in `counts` (one statement: all of them). */
  #request(sql: readonly string[], values: unknown[], counts: readonly number[] = [values.length]): WriterRequest {
    const statements: Array<[number, string | undefined, number, number]> = [];
    let from = 0;
    for (let i = 0; i < sql.length; i++) {
      statements.push([...this.#numbered(sql[i]!), from, from + counts[i]!]);
      from += counts[i]!;
    }
    return { statements, values };
  }

  async #end(): Promise<void> {
    this.#ended = true;
    this.#worker.postMessage({ close: true } satisfies WriterRequest);
    await this.#exited;
  }

  async #queue(req: WriterRequest, fail: (err: Error) => Error): Promise<void> {
    this.#throwIfFailed();
    this.#send(req, fail);
    await this.#until(() => this.#pending.length < MAX_QUEUED);
    this.#throwIfFailed();
  }

  #send(req: WriterRequest, fail: (err: Error) => Error): void {
    if (this.#ended) throw new Error('the SQLite writer thread has ended');
    this.#pending.push({ fail });
    this.#worker.postMessage(req);
  }

  #answer(reply: WriterReply): void {
    const done = this.#pending.shift();
    if (reply.error && done && !this.#failure) {
      this.#failure = done.fail(Object.assign(new Error(reply.error.message), reply.error.code ? { code: reply.error.code } : {}));
    }
    this.#wakeAll();
  }

  #fail(err: Error): void {
    this.#failure ??= err;
    this.#pending.length = 0;
    this.#wakeAll();
  }

  #wakeAll(): void {
    const wake = this.#wake;
    this.#wake = [];
    for (const w of wake) w();
  }

  /** Resolves once `ready()` holds, or the thread failed or stopped. */
  async #until(ready: () => boolean): Promise<void> {
    while (!ready() && !this.#failure) await new Promise<void>((resolve) => this.#wake.push(resolve));
  }

  #throwIfFailed(): void {
    if (this.#failure) throw this.#failure;
  }
}
