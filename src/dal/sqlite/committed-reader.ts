import { Worker } from 'node:worker_threads';
import type { Knex } from 'knex';
import type { Row } from '../../core/model';
import type { CommittedReader } from '../dialect';
import {
  committedReaderThreadSource,
  type CommittedPage,
  type CommittedReaderError,
  type CommittedReaderReply,
  type CommittedReaderRequest,
  type CommittedReaderThreadData,
  type CommittedScan,
} from './committed-reader-thread';

/**
 * A worker thread with its own read-only better-sqlite3 connection that reads
 * rows committed before an extraction (raw rows) page by page, ahead of the
 * event loop, which parses them, calls extract() and writes the tool rows on
 * the run's connection meanwhile (better-sqlite3 is synchronous: on one
 * connection the read and the rest add up). In WAL a reader takes no lock the
 * writer waits for, and the thread never writes, so the two cannot wait on
 * each other; the thread holds its read transaction only until the last page
 * is read. A few pages at most are read ahead of the pages taken. The thread
 * keeps the process alive only while a scan is open.
 */
export class SqliteCommittedReader implements CommittedReader {
  readonly #worker: Worker;
  readonly #opened: Promise<CommittedReaderError | null>;
  readonly #exited: Promise<void>;
  readonly #scans = new Map<number, ScanState>();
  #nextId = 0;
  #stopped: Error | undefined;

  constructor(filename: string, busyTimeoutMs = 5000) {
    const data: CommittedReaderThreadData = { filename, driver: require.resolve('better-sqlite3'), busyTimeoutMs };
    // A small young generation: the thread holds a few pages at a time, and each MB of semi-space is resident
    // (memory_scaling: 8 MB cost ~20 MB of peak RSS with the thread; see bench/README.md).
    this.#worker = new Worker(committedReaderThreadSource, { eval: true, workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 2 } });
    this.#worker.unref();
    let opened!: (outcome: CommittedReaderError | null) => void;
    this.#opened = new Promise((resolve) => (opened = resolve));
    this.#worker.on('message', (reply: CommittedReaderReply) => {
      if ('open' in reply) opened(reply.open);
      else if ('error' in reply) this.#fail(reply.id, Object.assign(new Error(reply.error.message), reply.error.code ? { code: reply.error.code } : {}));
      else this.#page(reply);
    });
    this.#worker.on('error', (err) => this.#stop(err));
    // A page the main thread could not read: stop, failing every scan in flight.
    this.#worker.on('messageerror', (err) => {
      this.#stop(err);
      void this.#worker.terminate();
    });
    this.#exited = new Promise((resolve) => {
      this.#worker.once('exit', (code) => {
        this.#stop(new Error(`the SQLite reader thread stopped (exit code ${code})`));
        opened({ message: 'the SQLite reader thread stopped before opening the database' });
        resolve();
      });
    });
  }

  /** Resolves true once the thread has opened the database, false when it could not (or stopped first). */
  async ready(): Promise<boolean> {
    return (await this.#opened) === null;
  }

  /** True once the thread has ended (closed, or failed): it takes no more scans. */
  get stopped(): boolean {
    return this.#stopped !== undefined;
  }

  /**
   * The rows of `query` (on `knex`'s database), in keyset pages of `pageSize`
   * by the single column `key`, as the Dal's `streamPages` yields them without
   * declared columns. Pages are read from one snapshot of the committed data.
   * Undefined when the query cannot be paged here (the caller pages it on its connection).
   */
  pages<T>(knex: Knex, query: (db: Knex) => Knex.QueryBuilder, key: string, pageSize: number): AsyncIterable<T[]> | undefined {
    const scan = keysetScan(knex, query, key, pageSize);
    return scan && this.#scan<T>(scan);
  }

  async *#scan<T>(scan: CommittedScan): AsyncGenerator<T[]> {
    if (this.#stopped) throw this.#stopped;
    const id = this.#nextId++;
    const state: ScanState = { queue: [], wake: undefined, error: undefined, ended: false, names: undefined };
    const credits = new Int32Array(scan.credits);
    this.#worker.postMessage({ id, scan } satisfies CommittedReaderRequest);
    this.#scans.set(id, state);
    this.#worker.ref();
    try {
      for (;;) {
        if (state.queue.length === 0 && state.error === undefined) {
          await new Promise<void>((resolve) => (state.wake = resolve));
        } else {
          // A page already here never leaves the microtask queue: a turn of the event loop per page lets Ctrl-C,
          // timers and the run lock's heartbeat through, as the connection's own paging does.
          await new Promise((resolve) => setImmediate(resolve));
        }
        const page = state.queue.shift();
        if (!page) throw state.error ?? new Error('the SQLite reader thread sent no page');
        // One more page may be read; the thread is woken only when it waits for that.
        if (!page.done && Atomics.add(credits, 0, 1) === 0) Atomics.notify(credits, 0);
        if (page.rows > 0) yield rowsOf<T>(page, (state.names ??= page.names ?? []));
        if (page.done) return;
      }
    } finally {
      // Stopped early (an error, a cancel) or failed: the thread ends the scan and lets its snapshot go.
      if (!state.ended) {
        Atomics.store(credits, 0, -1);
        Atomics.notify(credits, 0);
      }
      this.#scans.delete(id);
      if (this.#scans.size === 0) this.#worker.unref();
    }
  }

  /** Ends the thread after the scans already sent, and closes its connection. */
  async close(): Promise<void> {
    if (!this.#stopped) {
      this.#worker.ref();
      this.#worker.postMessage({ close: true } satisfies CommittedReaderRequest);
    }
    await this.#exited;
  }

  #page(page: CommittedPage): void {
    const state = this.#scans.get(page.id);
    if (!state) return; // a page of a scan stopped meanwhile
    if (page.done) state.ended = true;
    state.queue.push(page);
    state.wake?.();
  }

  #fail(id: number, err: Error): void {
    const state = this.#scans.get(id);
    if (!state) return;
    state.ended = true;
    state.error = err;
    state.wake?.();
  }

  #stop(err: Error): void {
    this.#stopped ??= err;
    for (const id of this.#scans.keys()) this.#fail(id, this.#stopped);
  }
}

interface ScanState {
  queue: CommittedPage[];
  wake: (() => void) | undefined;
  error: Error | undefined;
  /** The thread has ended the scan (its last page or its error came). */
  ended: boolean;
  names: string[] | undefined;
}

/** A value only a keyset bound can be, to find the bound's place among the compiled bindings. */
const BOUND = '\u0000devlake-ts keyset bound\u0000';

/** The first and next page statements of `query` by `key`, compiled as the Dal's own paging compiles them. */
function keysetScan(knex: Knex, query: (db: Knex) => Knex.QueryBuilder, key: string, pageSize: number): CommittedScan | undefined {
  const format = (knex.client as { _formatBindings(bindings: readonly unknown[]): unknown[] })._formatBindings.bind(knex.client);
  const ordered = (q: Knex.QueryBuilder) => q.orderBy([{ column: key, order: 'asc' }]).limit(pageSize).toSQL().toNative();
  const first = ordered(query(knex));
  const next = ordered(query(knex).where(key, '>', BOUND));
  const lastAt = next.bindings.indexOf(BOUND);
  if (lastAt < 0 || next.bindings.lastIndexOf(BOUND) !== lastAt) return undefined;
  return {
    firstSql: first.sql,
    firstBindings: format(first.bindings),
    nextSql: next.sql,
    nextBindings: format(next.bindings),
    lastAt,
    key: key.slice(key.lastIndexOf('.') + 1),
    pageSize,
    credits: creditsOf(READ_AHEAD_PAGES),
  };
}

/** Pages read ahead of the one being used: enough to keep the thread busy, few enough to hold little. */
const READ_AHEAD_PAGES = 4;

function creditsOf(pages: number): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(4);
  new Int32Array(buffer)[0] = pages;
  return buffer;
}

/** A page's rows as objects, keys in column order as better-sqlite3 makes them. */
function rowsOf<T>(page: CommittedPage, names: readonly string[]): T[] {
  const { columns, constant } = page;
  const width = names.length;
  const rows: Row[] = new Array(page.rows);
  for (let r = 0; r < page.rows; r++) {
    const row: Row = {};
    for (let c = 0; c < width; c++) {
      const fixed = constant[c];
      let v = fixed ? fixed.value : columns[c]![r];
      // A BLOB comes back as a Buffer on the connection; a clone of one is a plain Uint8Array.
      if (typeof v === 'object' && v !== null && v instanceof Uint8Array && !Buffer.isBuffer(v)) v = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
      row[names[c]!] = v;
    }
    rows[r] = row;
  }
  return rows as T[];
}

/** Per knex client: its reader, or null when its database cannot have one (in memory, a URI, the thread could not open it). */
const readers = new WeakMap<object, SqliteCommittedReader | null>();

/**
 * The committed-rows reader of `knex`'s database file (`knex` not a
 * transaction), started on first use, one per knex; undefined where another
 * connection could not see the same database or the thread could not open
 * it, and the caller reads on its own connection.
 */
export async function sqliteCommittedReaderOf(knex: Knex): Promise<SqliteCommittedReader | undefined> {
  const client = knex.client as object;
  let reader = readers.get(client);
  if (reader === null) return undefined;
  if (reader === undefined || reader.stopped) {
    const filename = (knex.client as { config?: { connection?: { filename?: unknown } } }).config?.connection?.filename;
    if (typeof filename !== 'string' || filename === '' || filename === ':memory:' || filename.startsWith('file:')) {
      readers.set(client, null);
      return undefined;
    }
    try {
      reader = new SqliteCommittedReader(filename);
    } catch {
      // No thread to be had (a thread limit, memory): the caller's own connection reads.
      readers.set(client, null);
      return undefined;
    }
    readers.set(client, reader);
  }
  if (await reader.ready()) return reader;
  if (readers.get(client) === reader) readers.set(client, null);
  return undefined;
}

/** Ends the committed-rows reader of a knex client, if it has one: when the knex is destroyed. */
export async function closeSqliteCommittedReader(client: object): Promise<void> {
  const reader = readers.get(client);
  // null, not deleted: a read arriving while the knex is being destroyed must not start a thread that outlives it.
  readers.set(client, null);
  if (reader) await reader.close();
}
