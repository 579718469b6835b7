import type { Knex } from 'knex';
import type { RawPagesCommit } from '../dialect';
import { withDriverConnection } from '../driver';
import { rawCommitJob, runRawCommit } from './raw-commit';
import { sqliteRawWriterOf } from './raw-writer';
import { sqliteStatement, type SqliteConnection } from './statements';

/**
 * A collector's group commit on SQLite: the pages' raw rows, their ledger rows
 * and the checkpoint in one transaction of prepared statements (through
 * knex each statement was a promise and a pool round of its own, which cost
 * more than the writes).
 *
 * On a database file it runs on the raw writer thread (raw-writer.ts), so
 * the event loop fetches and parses on meanwhile. The knex's one connection
 * is held, idle, until the commit ends: no transaction of this process's
 * connection is open while the thread writes, so none can find its snapshot
 * outdated by the thread's commit (SQLITE_BUSY_SNAPSHOT) or keep the thread
 * waiting for the lock, and other queries wait for it without blocking the
 * event loop, as they waited for the commit before. In memory (no other
 * connection sees the database), it runs on that connection.
 */
export async function commitSqliteRawPages(knex: Knex, c: RawPagesCommit, toDriver: (v: unknown) => unknown): Promise<void> {
  const job = rawCommitJob(c, toDriver);
  await withDriverConnection<SqliteConnection>(knex, async (conn) => {
    const writer = await sqliteRawWriterOf(knex);
    if (writer) return writer.commit(job);
    runRawCommit(conn as SqliteConnection & { inTransaction?: boolean }, (sql) => sqliteStatement(conn, sql), job);
  });
}
