import type { InsertPlan } from './driver';

/**
 * One write transaction on a connection of its own, run off the event loop
 * (SQLite: a worker thread), so a caller can read and transform the next rows
 * while earlier ones are written. Calls are queued in order and return once
 * the queue has room (back-pressure), not once written: a failure surfaces at
 * a later call or at `commit()`, as the error its request's `fail` made.
 * Nothing is visible to other connections before `commit()`; `rollback()`
 * (or a crash) leaves the database as it was.
 */
export interface DetachedWriter {
  /** Deletes the rows of `table` whose columns equal `where`'s values. */
  deleteWhere(table: string, where: Readonly<Record<string, unknown>>, fail: (err: Error) => Error): Promise<void>;
  /** Writes `rowCount` rows (`values` row-major, already converted for the driver), `perStatement` a statement. */
  insert(plan: InsertPlan, values: unknown[], rowCount: number, perStatement: number, fail: (err: Error) => Error): Promise<void>;
  /** Waits for every queued write, then commits; throws the first failure (and rolls back) instead. Ends the writer. */
  commit(): Promise<void>;
  /** Drops queued writes, rolls back and ends the writer. Never throws. */
  rollback(): Promise<void>;
}
