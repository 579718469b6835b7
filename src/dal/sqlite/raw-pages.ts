import type { Knex } from 'knex';
import type { RawPagesCommit } from '../dialect';
import { withDriverConnection } from '../driver';
import { rawCommitJob, runRawCommit, type RawCommitJob } from './raw-commit';
import { sqliteRawWriterOf } from './raw-writer';
import { sqliteStatement, type SqliteConnection } from './statements';

/**
 * A collector's group commit on SQLite: the pages' raw rows, their ledger rows
 * and the checkpoint in one transaction of prepared statements (through
 * knex each statement was a promise and a pool round of its own, which cost
 * more than the writes).
 *
 * On a database file it runs on the raw writer thread (raw-writer.ts), so
 * the event loop fetches and parses on meanwhile. In memory (no other
 * connection sees the database), it runs on the knex's connection. Either
 * way commits run in the order they are called, one knex's through one
 * {@link RawCommitQueue}.
 */
export function commitSqliteRawPages(knex: Knex, c: RawPagesCommit, toDriver: (v: unknown) => unknown): Promise<void> {
  let queue = queues.get(knex.client as object);
  if (!queue) {
    queue = new RawCommitQueue(knex);
    queues.set(knex.client as object, queue);
  }
  return queue.submit(rawCommitJob(c, toDriver));
}

/** Per knex client, its queue of raw commits. */
const queues = new WeakMap<object, RawCommitQueue>();

/**
 * Chains with a failed commit run on a knex's own connection (in memory): as
 * the writer thread's own set (see runRawCommit). A failure is rare and a
 * chain's id short: the set is not pruned.
 */
const failedChains = new Set<string>();

interface QueuedCommit {
  job: RawCommitJob;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * The raw commits of one knex, in call order. While any is queued or being
 * written, the queue holds the knex's one connection, idle: no transaction
 * of this process's connection is open while the thread writes, so none can
 * find its snapshot outdated by the thread's commit (SQLITE_BUSY_SNAPSHOT)
 * or keep the thread waiting for the lock, and other queries wait for it
 * without blocking the event loop. Every queued commit is handed to the
 * thread at once, so the thread starts the next as soon as one ends (a
 * collector keeps two on their way: `rawCommitsInFlight`). When another query
 * waits for the connection, no further commit is sent: the queue lets the
 * connection go once those sent have ended, and takes it again after.
 */
class RawCommitQueue {
  readonly #knex: Knex;
  readonly #queue: QueuedCommit[] = [];
  #holding = false;
  /** Wakes the holder when a commit is queued. */
  #wake: (() => void) | undefined;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  submit(job: RawCommitJob): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ job, resolve, reject });
      const wake = this.#wake;
      this.#wake = undefined;
      wake?.();
      if (!this.#holding) void this.#hold();
    });
  }

  async #hold(): Promise<void> {
    this.#holding = true;
    try {
      await withDriverConnection<SqliteConnection>(this.#knex, async (conn) => {
        const writer = await sqliteRawWriterOf(this.#knex);
        const sent = new Set<Promise<void>>();
        for (;;) {
          const next = othersWaiting(this.#knex) ? undefined : this.#queue.shift();
          if (next && writer) {
            const done = writer.commit(next.job).then(next.resolve, next.reject);
            sent.add(done);
            void done.then(() => sent.delete(done));
          } else if (next) {
            try {
              runRawCommit(conn as SqliteConnection & { inTransaction?: boolean }, (sql) => sqliteStatement(conn, sql), next.job, failedChains);
              next.resolve();
            } catch (err) {
              next.reject(err);
            }
          } else if (sent.size > 0) {
            await Promise.race([...sent, new Promise<void>((wake) => (this.#wake = wake))]);
            this.#wake = undefined;
          } else {
            return;
          }
        }
      });
    } catch (err) {
      // The connection could not be had (the pool is closing): nothing queued can be written.
      for (const queued of this.#queue.splice(0)) queued.reject(err);
    } finally {
      this.#holding = false;
    }
    // Commits queued while the connection was handed over (or was being given back): hold it again.
    if (this.#queue.length > 0) void this.#hold();
  }
}

/** True when another query of this knex waits for its connection (knex's pool: tarn). */
function othersWaiting(knex: Knex): boolean {
  const pool = (knex.client as { pool?: { numPendingAcquires?: () => number } }).pool;
  return (pool?.numPendingAcquires?.() ?? 0) > 0;
}
