import type { Knex } from 'knex';
import type { LockDialect, SessionLock } from '../lock-dialect';

interface PgConnection {
  query(sql: string, params: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
}
interface PoolClient {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(conn: PgConnection): Promise<unknown>;
}

/**
 * The 64-bit advisory key of a lock name. Advisory locks are per database, not
 * per schema, so the schema is part of the key: two devlake-ts databases in
 * two schemas of one server do not exclude each other.
 */
const KEY = `('x' || substr(md5(current_schema() || ':' || $1), 1, 16))::bit(64)::bigint`;

/**
 * Postgres: the lock row plus a session-level advisory lock held on a
 * connection of its own for as long as the lock is held. The server frees it
 * when that session ends, so a killed holder's lock is free at once.
 */
export const postgresLock: LockDialect = {
  nowMs: (knex: Knex) => knex.raw(`(extract(epoch from clock_timestamp()) * 1000)::bigint`),

  async sessionLock(knex: Knex, name: string): Promise<SessionLock | undefined> {
    const pool = knex.client as PoolClient;
    const conn = await pool.acquireConnection();
    let held = false;
    try {
      const res = await conn.query(`SELECT pg_try_advisory_lock(${KEY}) AS ok`, [name]);
      held = res.rows[0]?.ok === true;
    } finally {
      if (!held) await pool.releaseConnection(conn);
    }
    if (!held) return undefined;
    return {
      async release() {
        try {
          await conn.query(`SELECT pg_advisory_unlock(${KEY})`, [name]);
        } finally {
          await pool.releaseConnection(conn);
        }
      },
    };
  },
};
