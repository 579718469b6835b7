import { databases, type TestDb } from '../../src/testing/databases';
import { WAL_AUTOCHECKPOINT_WITH_CHECKPOINTER } from '../../src/dal/sqlite/checkpointer';
import type { Dal, Dialect } from '../../src/dal/types';

/** A fresh database for one measure (its own SQLite file or Postgres schema), dropped after. */
export interface BenchDb extends TestDb {
  /** SQLite: the database file, for a second (ceiling) connection. */
  filename?: string;
  /** Postgres: the connection string without our `schema` parameter, and the schema. */
  pgUrl?: string;
  schema?: string;
  /** MySQL: the URL of the measure's database. */
  mysqlUrl?: string;
}

/** Opens a fresh database of `dialect` through the toolkit's test-database helper. */
export async function openBenchDb(dialect: Dialect): Promise<BenchDb> {
  const kind = databases().find((d) => d.name === dialect);
  if (!kind) throw new Error(`${dialect} is excluded by DEVLAKE_TEST_DBS`);
  const db: BenchDb = await kind.open();
  if (dialect === 'sqlite') {
    db.filename = db.url.slice('sqlite:'.length);
  } else if (dialect === 'mysql') {
    db.mysqlUrl = db.url;
  } else {
    const u = new URL(db.url);
    db.schema = u.searchParams.get('schema') ?? undefined;
    u.searchParams.delete('schema');
    db.pgUrl = u.toString();
  }
  return db;
}

/** Runs `fn` with a fresh database and always drops it. */
export async function withBenchDb<T>(dialect: Dialect, fn: (db: BenchDb) => Promise<T>): Promise<T> {
  const db = await openBenchDb(dialect);
  try {
    return await fn(db);
  } finally {
    await db.drop();
  }
}

/** A plain pg client on the measure's schema, for ceilings that bypass knex. */
export async function pgClient(db: BenchDb): Promise<import('pg').Client> {
  const { Client } = require('pg') as typeof import('pg');
  const client = new Client({ connectionString: db.pgUrl });
  await client.connect();
  await client.query(`SET search_path TO "${db.schema}"`);
  return client;
}

/** A plain better-sqlite3 connection on the measure's file, with the pragmas the Dal sets. */
export function sqliteConnection(db: BenchDb): import('better-sqlite3').Database {
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const conn = new Database(db.filename!);
  conn.pragma('journal_mode = WAL');
  conn.pragma('busy_timeout = 5000');
  conn.pragma('synchronous = NORMAL');
  conn.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_WITH_CHECKPOINTER}`);
  return conn;
}

/**
 * Ends a timed write on SQLite where it ended before the Dal had a
 * checkpointer thread (src/dal/sqlite/checkpointer.ts): the WAL copied into
 * the database file: FULL copies what the thread has not, after the copy it
 * has under way. Both sides of a measure end with it, so a copy left to the
 * thread is not work moved out of either's window (nor one side's copy run
 * in the other's). Elsewhere it does nothing.
 */
export async function settleWrites(dal: Dal): Promise<void> {
  if (dal.dialect !== 'sqlite') return;
  // Busy (at once, no busy handler) while the thread holds the checkpoint lock: then again.
  while (((await dal.knex.raw('PRAGMA wal_checkpoint(FULL)')) as Array<{ busy: number }>)[0]!.busy !== 0) await new Promise((r) => setImmediate(r));
}

/** Milliseconds of `write` and the {@link settleWrites} that ends it. */
export async function timeWrite(dal: Dal, write: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await write();
  await settleWrites(dal);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** A plain mysql2 connection on the measure's database, LOCAL INFILE allowed, for ceilings that bypass knex. */
export async function mysqlClient(db: BenchDb): Promise<import('mysql2/promise').Connection> {
  const mysql = require('mysql2/promise') as typeof import('mysql2/promise');
  const u = new URL(db.mysqlUrl!);
  return mysql.createConnection({
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username) || 'root',
    password: decodeURIComponent(u.password),
    database: u.pathname.slice(1),
    charset: 'utf8mb4',
    timezone: 'Z',
    flags: ['+LOCAL_FILES'],
  });
}
