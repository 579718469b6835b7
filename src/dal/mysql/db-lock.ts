import type { Knex } from 'knex';
import type { LockDialect } from '../lock-dialect';

/**
 * MySQL / MariaDB: the lock row alone, alive while its owner's pid runs on
 * this host or, from another host, while its heartbeat is fresh (as SQLite).
 * GET_LOCK on a pinned connection could free a crashed holder's lock at once,
 * as the Postgres advisory lock does; not done yet.
 */
export const mysqlLock: LockDialect = {
  nowMs: (knex: Knex) => knex.raw(`CAST(ROUND(UNIX_TIMESTAMP(NOW(3)) * 1000) AS SIGNED)`),
};
