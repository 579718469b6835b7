import type { Knex } from 'knex';
import type { Dialect } from '../core/dal';
import { mysqlLock } from './mysql/db-lock';
import { postgresLock } from './postgres/db-lock';
import { sqliteLock } from './sqlite/db-lock';

/**
 * What the database lock (`db-lock.ts`) needs from one database, behind one
 * interface: each dialect folder implements it, so no lock SQL for one
 * database lives outside its folder.
 */
export interface LockDialect {
  /**
   * The database's clock in epoch milliseconds, as a select expression: every
   * machine sharing the database compares heartbeats on this one clock.
   */
  nowMs(knex: Knex): Knex.Raw;
  /**
   * Optional: a lock the database itself frees when the holder's session ends
   * (Postgres advisory lock, MySQL GET_LOCK), so a crashed holder's lock is free
   * at once instead of after its heartbeat expires. Resolves to the held lock,
   * or `undefined` when another live session holds it.
   */
  sessionLock?(knex: Knex, name: string): Promise<SessionLock | undefined>;
}

/** A session lock held on a connection taken out of the pool; `release()` unlocks and returns the connection. */
export interface SessionLock {
  release(): Promise<void>;
}

const dialects: Readonly<Record<Dialect, LockDialect>> = Object.freeze({ sqlite: sqliteLock, postgres: postgresLock, mysql: mysqlLock });

/** The lock implementation of a dialect. */
export function lockDialect(dialect: Dialect): LockDialect {
  return dialects[dialect];
}
