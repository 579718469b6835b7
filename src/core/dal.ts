import type { Knex } from 'knex';
import type { Row } from './model';
import type { ColumnTypes } from './table';

/**
 * The data access contract plugins and the framework program against, as
 * DevLake's core/dal: core/ owns the interface, src/dal/ implements it.
 */

/** The databases devlake-ts runs on: SQLite (embedded), PostgreSQL, MySQL 8 / MariaDB 10.6+. */
export type Dialect = 'sqlite' | 'postgres' | 'mysql';

/** Options of a batch upsert. */
export interface UpsertOptions {
  /** Primary key columns: rows with the same key are replaced (last wins). */
  primaryKey: readonly string[];
  /** Rows per statement; capped by the driver's parameter limit. Default 500. */
  batchSize?: number;
}

/** How a transaction may trade safety or plans for speed; each dialect applies what it supports. */
export interface TransactionOptions {
  /**
   * `relaxed`: the commit need not wait for the log to reach the disk (Postgres
   * `synchronous_commit = off`). A crash may lose the last transactions whole,
   * never part of one: use it only where the caller can redo them (a collector
   * resumes from its checkpoint). Default `full`.
   */
  durability?: 'full' | 'relaxed';
  /**
   * Prefer walking an index in key order to sorting, for keyset reads of
   * tables too fresh to have statistics. Default false.
   */
  preferIndexOrder?: boolean;
}

/** Options of a keyset-paged streaming read. */
export interface StreamOptions {
  /** Unique, ordered key columns selected by the query (e.g. `['id']` or the primary key). */
  key: readonly string[];
  /** Rows per page. Default 1000. */
  pageSize?: number;
  /**
   * The declared types of the selected columns (`GithubIssue.spec.columns`):
   * their values come back decoded the same on every database (integers as
   * number, bigint beyond 2^53; timestamps as Date; booleans as boolean; JSON
   * parsed; NULL as null). Columns not listed come back as the driver gives them.
   */
  columns?: ColumnTypes;
}

/**
 * The data access layer: knex for schema and queries, plus the batch writes
 * and streaming reads every helper needs. Obtain one with `createDal(url)`;
 * `transaction()` hands out a Dal bound to one transaction.
 */
export interface Dal {
  /** The knex instance, or the transaction when this Dal is bound to one. */
  readonly knex: Knex;
  readonly dialect: Dialect;
  /** The database URL with any password masked; safe to print. */
  readonly safeUrl: string;
  /** True when this Dal is bound to a transaction. */
  readonly inTransaction: boolean;

  /** Inserts or replaces rows by primary key, in batches. Returns the number of rows written. */
  upsert(table: string, rows: readonly Row[], options: UpsertOptions): Promise<number>;
  /** Plain batched insert (no conflict handling). Returns the number of rows written. */
  insert(table: string, rows: readonly Row[], options?: { batchSize?: number }): Promise<number>;
  /**
   * Streams the rows of `query(db)` in pages ordered by `key`, never holding
   * more than one page. `query` must select the key columns; it is called once
   * per page and extended with the keyset condition, order and limit.
   */
  stream<T extends Row = Row>(query: (db: Knex) => Knex.QueryBuilder, options: StreamOptions): AsyncIterable<T>;
  /**
   * The same keyset pages as {@link Dal.stream}, a page (array) at a time: one
   * await per page instead of one per row, for loops over many rows.
   */
  streamPages<T extends Row = Row>(query: (db: Knex) => Knex.QueryBuilder, options: StreamOptions): AsyncIterable<T[]>;
  /** Runs `fn` in a transaction; nested calls use savepoints. `options` apply to this transaction only. */
  transaction<T>(fn: (tx: Dal) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * A JSON member of a text column, as text, for a select list: `db.jsonText('data', 'user.login')`.
   * Each database extracts it its own way (json_extract, #>>, JSON_EXTRACT).
   */
  jsonText(column: string, key: string): Knex.Raw;
  /** True when the table exists. */
  hasTable(table: string): Promise<boolean>;
  /** Closes the pool. Only the root Dal closes; a transaction Dal ignores it. */
  close(): Promise<void>;
}

/** One versioned migration script, as a plugin or the framework declares it. */
export interface MigrationScript {
  /** Ordering key, by convention a timestamp `YYYYMMDDHHmmss`, e.g. `20240101000000`. Unique per owner. */
  version: number;
  /** A short name, e.g. `add_committer_table`. */
  name: string;
  /**
   * Implement to change the schema. Runs once, in a transaction where the
   * database allows it. Never edit an applied script (its checksum is checked):
   * add a new one.
   */
  up(db: Knex): Promise<void>;
  /**
   * Optional: what `up` creates, as data (a table spec's JSON), included in the
   * checksum so an edit of a declaration the script reads counts as an edit of
   * the script. `tablesMigration()` sets it.
   */
  fingerprint?: string;
  /**
   * Optional: checksums of earlier texts of this script that made the same
   * schema (a script rewritten onto `tablesMigration`): a database that applied
   * one of them does not count it as changed. Default none.
   */
  acceptedChecksums?: readonly string[];
}
