import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import type { DbTarget } from '../url';
import { closeSqliteCheckpointer, startSqliteCheckpointer, WAL_AUTOCHECKPOINT_WITH_CHECKPOINTER } from './checkpointer';
import { closeSqliteCommittedReader } from './committed-reader';
import { closeSqliteRawWriter } from './raw-writer';

/** knex configuration for a SQLite file (or `:memory:`): one connection, WAL, a busy timeout. */
export function sqliteKnexConfig(target: DbTarget, log: Knex.Config['log']): Knex.Config {
  if (target.filename !== ':memory:') fs.mkdirSync(path.dirname(target.filename!), { recursive: true });
  return {
    client: isoDateClient(),
    log,
    connection: { filename: target.filename! },
    useNullAsDefault: true,
    // The one connection is how work side by side in this process (pipeline tasks) takes turns at SQLite's single
    // writer: a query waits, without blocking the event loop, while another's transaction (a whole extraction) runs.
    acquireConnectionTimeout: 60 * 60_000,
    pool: {
      min: 1,
      max: 1,
      afterCreate(conn: { pragma(s: string): unknown }, done: (err: Error | null, conn: unknown) => void) {
        // busy_timeout: wait instead of failing on a lock. (WAL is set as the connection opens: see acquireRawConnection.)
        conn.pragma('busy_timeout = 5000');
        conn.pragma('synchronous = NORMAL');
        done(null, conn);
      },
    },
  };
}

/**
 * knex's better-sqlite3 client with Dates bound as ISO-8601 text (knex binds
 * epoch milliseconds), the form the Dal stores, so comparisons, SQLite's date
 * functions and string order work. A subclass, not a patch of the instance:
 * knex builds each transaction's client from the client's class, so a patch
 * was lost inside transactions (where extractors and converters query).
 */
function isoDateClient(): Knex.Config['client'] {
  const Base = require('knex/lib/dialects/better-sqlite3') as new (config: Knex.Config) => {
    connectionSettings: { filename?: string };
    acquireRawConnection(): Promise<{ pragma(s: string): unknown }>;
    _formatBindings(b: unknown[]): unknown[];
    destroy(callback?: unknown): Promise<unknown>;
  };
  const Transaction = immediateTransaction();
  return class IsoDateSqliteClient extends Base {
    /** Every transaction begins IMMEDIATE (see {@link immediateTransaction}). */
    transaction(...args: unknown[]): unknown {
      return new Transaction(this, ...args);
    }

    /**
     * A database file is put in WAL mode (readers do not block the writer),
     * then gets a checkpointer thread (see checkpointer.ts), which opens it in
     * that mode, and this connection checkpoints inline only past a larger
     * WAL. Not one in memory: no other connection sees the same database.
     */
    override async acquireRawConnection(): Promise<{ pragma(s: string): unknown }> {
      const conn = await super.acquireRawConnection();
      const filename = this.connectionSettings.filename;
      if (filename === ':memory:') return conn;
      conn.pragma('journal_mode = WAL');
      if (filename && startSqliteCheckpointer(this, filename)) conn.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_WITH_CHECKPOINTER}`);
      return conn;
    }

    override _formatBindings(bindings: unknown[]): unknown[] {
      return super._formatBindings((bindings ?? []).map((b) => (b instanceof Date ? b.toISOString() : b)));
    }

    /** The raw writer, reader and checkpointer threads end with the knex: none is left running when a Dal is closed. */
    override async destroy(callback?: unknown): Promise<unknown> {
      await closeSqliteRawWriter(this);
      await closeSqliteCommittedReader(this);
      await closeSqliteCheckpointer(this);
      return super.destroy(callback);
    }
  } as unknown as Knex.Config['client'];
}

/**
 * knex's SQLite transaction, begun with `BEGIN IMMEDIATE`: it takes the write
 * lock first (waiting up to busy_timeout while another process holds it).
 * knex's plain `BEGIN` takes it at the first write; in WAL mode a transaction
 * that has read by then cannot write at all once another process committed
 * since its read (SQLITE_BUSY_SNAPSHOT, "database is locked" at once, no
 * wait), which failed an extraction (read, then delete) while other runs on
 * the same file took and released their locks. Reads alone stay outside
 * transactions, or on the reader threads' own connections.
 *
 * The BEGIN goes through the transaction's client, not knex's `this.query`:
 * that one catches a failed statement, rejects the transaction's promise and
 * resolves its own, so knex would still run the handler, outside any
 * transaction, its writes committing one by one. A BEGIN that cannot take the
 * lock within busy_timeout must fail before the handler runs.
 */
function immediateTransaction(): new (client: unknown, ...args: unknown[]) => unknown {
  const Base = require('knex/lib/dialects/sqlite3/execution/sqlite-transaction') as new (client: unknown, ...args: unknown[]) => {
    trxClient: { query(conn: unknown, sql: string): Promise<unknown> };
  };
  return class ImmediateSqliteTransaction extends Base {
    begin(conn: unknown): Promise<unknown> {
      return this.trxClient.query(conn, 'BEGIN IMMEDIATE;');
    }
  };
}
