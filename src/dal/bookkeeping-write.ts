import type { Knex } from 'knex';
import { dialectOf } from './dialects';
import type { Dal } from './types';

/**
 * Runs a write of the run's own bookkeeping (subtask rows, progress, task log
 * lines, lock rows) without waiting for the log to reach the disk, where the
 * database allows that per transaction (Postgres). A database crash can then
 * lose the last such writes whole, never part of one; the commits that must
 * last (a collection's publish, the subtasks' data, a task's final status)
 * stay durable, and each flushes the log with every write before it. A pipeline
 * task makes about twenty of these writes, each one a disk flush before.
 * Inside a transaction, or on other databases, it is the plain write.
 */
export async function bookkeepingWrite<T>(db: Dal, write: (knex: Knex) => Promise<T>): Promise<T> {
  if (db.inTransaction || !dialectOf(db.dialect).relaxedCommits) return write(db.knex);
  return db.transaction((tx) => write(tx.knex), { durability: 'relaxed' });
}
