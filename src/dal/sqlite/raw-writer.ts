import { Worker } from 'node:worker_threads';
import type { Knex } from 'knex';
import { sqliteCheckpointerOf, WAL_AUTOCHECKPOINT_WITH_CHECKPOINTER } from './checkpointer';
import type { RawCommitJob } from './raw-commit';
import { rawWriterThreadSource, type RawWriterError, type RawWriterReply, type RawWriterRequest, type RawWriterThreadData } from './raw-writer-thread';

/**
 * How long a thread's commit waits for SQLite's write lock while another
 * connection holds it (another process, or another knex on the file): longer
 * than the event loop's 5 s, since the event loop stays free meanwhile, but
 * bounded: the thread holds the knex's one connection (idle) while it waits,
 * so the process's other queries on that knex (heartbeat, task log) wait with
 * it, and a cancelled run waits for its commit in flight before it stops
 * (Ctrl-C should not hang for minutes behind another process's transaction).
 * In this knex's process the commit never meets a transaction of its own
 * connection (see commitSqliteRawPages).
 */
export const RAW_WRITER_BUSY_TIMEOUT_MS = 60_000;

/**
 * A worker thread with its own better-sqlite3 connection that runs
 * collectors' group commits (see raw-commit.ts), so that writing pages
 * overlaps with the event loop fetching and parsing the next ones
 * (better-sqlite3 is synchronous: on the event loop's connection the two
 * add up). Each commit is a short transaction with all its data already in
 * the thread: it never waits on the event loop while it holds the lock.
 * The thread keeps the process alive only while a commit is outstanding.
 */
export class SqliteRawWriter {
  readonly #worker: Worker;
  readonly #opened: Promise<RawWriterError | null>;
  readonly #exited: Promise<void>;
  readonly #jobs = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  #nextId = 0;
  #stopped: Error | undefined;

  constructor(filename: string, busyTimeoutMs = RAW_WRITER_BUSY_TIMEOUT_MS, walAutocheckpoint?: number) {
    const data: RawWriterThreadData = { filename, driver: require.resolve('better-sqlite3'), busyTimeoutMs, walAutocheckpoint };
    // A small young generation: the thread holds a batch of pages at a time, and each MB of semi-space is resident.
    this.#worker = new Worker(rawWriterThreadSource, { eval: true, workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 8 } });
    let opened!: (outcome: RawWriterError | null) => void;
    this.#opened = new Promise((resolve) => (opened = resolve));
    this.#worker.on('message', (reply: RawWriterReply) => {
      if ('open' in reply) opened(reply.open);
      else this.#answer(reply.id, reply.error);
      this.#unrefWhenIdle();
    });
    this.#worker.on('error', (err) => this.#stop(err));
    // A message the thread could not read leaves no job to answer: stop, failing every job in flight.
    this.#worker.on('messageerror', (err) => {
      this.#stop(err);
      void this.#worker.terminate();
    });
    this.#exited = new Promise((resolve) => {
      this.#worker.once('exit', (code) => {
        this.#stop(new Error(`the SQLite raw writer thread stopped (exit code ${code})`));
        opened({ message: 'the SQLite raw writer thread stopped before opening the database' });
        resolve();
      });
    });
  }

  /** Resolves true once the thread has opened the database, false when it could not (or stopped first). */
  async ready(): Promise<boolean> {
    return (await this.#opened) === null;
  }

  /** True once the thread has ended (closed, or failed): it takes no more commits. */
  get stopped(): boolean {
    return this.#stopped !== undefined;
  }

  /** Runs `job` on the thread; resolves once it is committed, rejects with the driver's error (its `code` kept) once rolled back. */
  commit(job: RawCommitJob): Promise<void> {
    if (this.#stopped) return Promise.reject(this.#stopped);
    const id = this.#nextId++;
    return new Promise<void>((resolve, reject) => {
      // Posted first: a job that cannot be sent is never recorded, so it cannot keep the thread referenced.
      this.#worker.postMessage({ id, job } satisfies RawWriterRequest);
      this.#jobs.set(id, { resolve, reject });
      this.#worker.ref();
    });
  }

  /** Ends the thread after the commits already sent, and closes its connection. */
  async close(): Promise<void> {
    if (!this.#stopped) {
      this.#worker.ref();
      this.#worker.postMessage({ close: true } satisfies RawWriterRequest);
    }
    await this.#exited;
  }

  #answer(id: number, error: RawWriterError | undefined): void {
    const job = this.#jobs.get(id);
    this.#jobs.delete(id);
    if (!job) return;
    if (error) job.reject(Object.assign(new Error(error.message), error.code ? { code: error.code } : {}));
    else job.resolve();
  }

  #stop(err: Error): void {
    this.#stopped ??= err;
    for (const job of this.#jobs.values()) job.reject(this.#stopped);
    this.#jobs.clear();
  }

  #unrefWhenIdle(): void {
    if (this.#jobs.size === 0) this.#worker.unref();
  }
}

/** Per knex client: its writer, or null when its database cannot have one (in memory, a URI, the thread could not open it). */
const writers = new WeakMap<object, SqliteRawWriter | null>();

/**
 * The raw writer of `knex`'s database file, started on first use, one per
 * knex (collectors running side by side share it); undefined where another
 * connection could not see the same database or the thread could not open
 * it, and the caller writes on its own connection. `busyTimeoutMs` applies
 * to a thread started by this call.
 */
export async function sqliteRawWriterOf(knex: Knex, busyTimeoutMs = RAW_WRITER_BUSY_TIMEOUT_MS): Promise<SqliteRawWriter | undefined> {
  const client = knex.client as object;
  let writer = writers.get(client);
  if (writer === null) return undefined;
  if (writer === undefined || writer.stopped) {
    const filename = (knex.client as { config?: { connection?: { filename?: unknown } } }).config?.connection?.filename;
    if (typeof filename !== 'string' || filename === '' || filename === ':memory:' || filename.startsWith('file:')) {
      writers.set(client, null);
      return undefined;
    }
    try {
      // Where a checkpointer thread copies the WAL, this thread's commits leave it the copying too.
      writer = new SqliteRawWriter(filename, busyTimeoutMs, sqliteCheckpointerOf(client) ? WAL_AUTOCHECKPOINT_WITH_CHECKPOINTER : undefined);
    } catch {
      // No thread to be had (a thread limit, memory): the caller's own connection writes, as when the thread cannot open the file.
      writers.set(client, null);
      return undefined;
    }
    writers.set(client, writer);
  }
  if (await writer.ready()) return writer;
  if (writers.get(client) === writer) writers.set(client, null);
  return undefined;
}

/** Ends the raw writer of a knex client, if it has one: when the knex is destroyed. */
export async function closeSqliteRawWriter(client: object): Promise<void> {
  const writer = writers.get(client);
  // null, not deleted: a commit arriving while the knex is being destroyed must not start a new thread
  // that would outlive it; it writes on the connection (or fails with the closing pool).
  writers.set(client, null);
  if (writer) await writer.close();
}
