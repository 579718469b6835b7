import type { Knex } from 'knex';
import { chainRefused, type RawPagesCommit } from '../dialect';
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

interface QueuedCommit {
  job: RawCommitJob;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * The raw commits of one knex, in call order. While commits are being
 * written the queue holds the knex's one connection, idle: no transaction
 * of this process's connection is open while the thread writes, so none can
 * find its snapshot outdated by the thread's commit (SQLITE_BUSY_SNAPSHOT)
 * or keep the thread waiting for the lock, and other queries wait for it
 * without blocking the event loop. Queued commits are handed to the thread
 * at once, so the thread starts the next as soon as one ends (a collector
 * keeps two on their way: `rawCommitsInFlight`). When another query waits
 * for the connection, no further commit is sent (past the first of each
 * hold, so a stream of other queries cannot starve the commits): the queue
 * lets the connection go once those sent have ended, and takes it again.
 */
class RawCommitQueue {
  readonly #knex: Knex;
  readonly #queue: QueuedCommit[] = [];
  /**
   * Chains with a failed commit. A later commit of one of them is refused
   * here before it is sent, whichever way it would run (a new thread after
   * the last one stopped, or the connection once the thread is gone knows
   * nothing of the failure); the thread's own set refuses those already
   * sent behind it. A failure is rare and a chain id short: not pruned.
   */
  readonly #failedChains = new Set<string>();
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
        let writer = await sqliteRawWriterOf(this.#knex);
        const sent = new Set<Promise<void>>();
        let sentThisHold = 0;
        for (;;) {
          const next = sentThisHold > 0 && othersWaiting(this.#knex) ? undefined : this.#queue.shift();
          if (next) {
            sentThisHold++;
            const { job } = next;
            const failed = (err: unknown): void => {
              if (job.chain !== undefined) this.#failedChains.add(job.chain);
              next.reject(err);
            };
            if (job.chain !== undefined && this.#failedChains.has(job.chain)) {
              next.reject(chainRefused());
              continue;
            }
            // A thread that stopped (it could not run a commit) is replaced for the commits after.
            if (writer?.stopped) writer = await sqliteRawWriterOf(this.#knex);
            if (writer) {
              // The rejection handler runs before `sent` empties: the chain is marked before the next send.
              const done = writer.commit(job).then(next.resolve, failed);
              sent.add(done);
              void done.then(() => sent.delete(done));
            } else {
              try {
                runRawCommit(conn as SqliteConnection & { inTransaction?: boolean }, (sql) => sqliteStatement(conn, sql), job, this.#failedChains);
                next.resolve();
              } catch (err) {
                failed(err);
              }
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
