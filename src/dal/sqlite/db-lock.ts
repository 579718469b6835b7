import type { Knex } from 'knex';
import type { LockDialect } from '../lock-dialect';

/**
 * SQLite has no session locks: a lock is its row, alive while its owner's pid
 * runs on this host (or, from another host, while its heartbeat is fresh).
 */
export const sqliteLock: LockDialect = {
  nowMs: (knex: Knex) => knex.raw(`CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)`),
};
