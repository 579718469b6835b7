import type { Knex } from 'knex';
import type { ColumnDecoders } from './base-decoders';
import type { InsertPlan } from './driver';
import type { CompiledMappedInsert, MappedInsertPlan } from './mapped-insert';
import type { TransactionOptions } from './types';
import type { DbTarget } from './url';

/**
 * What one database does differently, behind one interface: each dialect
 * folder (`src/dal/sqlite/`, `src/dal/postgres/`, …) implements it, and the Dal,
 * the helpers and the tester reach SQL for one database only through it (as
 * knex's `lib/dialects/<name>/` clients). No SQL text for one database lives
 * outside its folder: test/dal/dialect-sql.test.ts greps for it.
 */
export interface SqlDialect {
  readonly name: import('./types').Dialect;

  // --- connection ---
  /** The knex configuration for a parsed URL. */
  knexConfig(target: DbTarget, log: Knex.Config['log']): Knex.Config;
  /** Runs once after the pool opens, before the connection is checked (e.g. creates the Postgres schema). */
  prepare(knex: Knex, target: DbTarget): Promise<void>;
  /** The hint of a failed connection whose cause names no environment problem (environment-errors.ts). */
  readonly connectHint?: string;

  // --- writes ---
  /** Bound parameters per statement, below the driver's limit. */
  readonly maxParams: number;
  /** Rows per statement above which a statement gains nothing. */
  readonly maxRows: number;
  /** A non-null JS value as the driver binds it (booleans, Dates, objects as JSON, NUL in text). */
  toDriver(v: unknown): unknown;
  /** The INSERT … VALUES (…), (…) [on conflict …] statement for `rowCount` rows. */
  insertSql(plan: InsertPlan, rowCount: number): string;
  /**
   * Writes `rowCount` rows (`values` row-major, already through {@link toDriver})
   * on the connection `knex` uses, `perStatement` rows a statement, by the
   * database's fastest multi-row path.
   */
  executeInsert(knex: Knex, plan: InsertPlan, values: unknown[], rowCount: number, perStatement: number): Promise<void>;

  // --- declarative extraction ---
  /**
   * A declarative extraction as one `INSERT … SELECT` over the raw rows of its
   * params, or the rule this database cannot evaluate exactly as the
   * JavaScript reference does (core/mapping-values.ts).
   */
  compileMappedInsert(plan: MappedInsertPlan): CompiledMappedInsert;
  /** Runs a compiled declarative extraction on the connection `knex` uses (the run's transaction); returns the rows it selected. */
  executeMappedInsert(knex: Knex, sql: string, bindings: readonly unknown[]): Promise<number>;

  // --- reads ---
  /** Runs a SELECT builder and returns its rows (SQLite: through a statement kept prepared). */
  selectRows<T>(knex: Knex, query: Knex.QueryBuilder, options?: SelectOptions): Promise<T[]>;
  /** Turns a driver's value of each declared column kind into the framework's JS value (see ../decode.ts). */
  readonly decoders: ColumnDecoders;
  /**
   * The query's rows after `last` in the order of the composite `key`, at most
   * `limit`, through `select` (which adds the order and the limit). A
   * single-column key is handled by the Dal.
   */
  keysetAfter<T>(
    knex: Knex,
    query: (db: Knex) => Knex.QueryBuilder,
    key: readonly string[],
    last: readonly unknown[],
    limit: number,
    select: (q: Knex.QueryBuilder, limit: number) => Promise<T[]>,
  ): Promise<T[]>;
  /** True when the next keyset page should be requested while the caller works on this one (a server database). */
  readonly prefetchPages: boolean;
  /**
   * A reader of rows committed before the caller's transaction and not written by it (raw rows), on a connection of
   * its own that reads ahead while the caller's connection writes (SQLite: a thread; a server database reads on a
   * second connection instead, see `prefetchPages`). Undefined when there is none (in memory, no thread): the caller
   * then reads on its own connection. `knex` is not a transaction.
   */
  committedReader?(knex: Knex): Promise<CommittedReader | undefined>;
  /**
   * True when one writer at a time is all the database allows (SQLite): work running side by side in one process
   * then shares one connection and takes turns without blocking the event loop, rather than opening connections
   * that wait on the file lock inside the driver (blocking) and fail with "database is locked" past its timeout.
   */
  readonly singleWriter: boolean;
  /**
   * True when a transaction can skip the log flush at commit on its own (Postgres `SET LOCAL
   * synchronous_commit = off`): then a short bookkeeping write is cheaper as a relaxed transaction
   * than as a statement of its own, whose commit waits for the disk (~5 ms a write measured here).
   */
  readonly relaxedCommits: boolean;
  /** A JSON member of a text column as text (`key`: `a` or `a.b`), for a select list. */
  jsonText(knex: Knex, column: string, key: string): Knex.Raw;

  // --- transactions ---
  /** Applies the options at the start of a transaction; returns what puts the settings back before commit. */
  applyTransactionOptions(tx: Knex.Transaction, options: TransactionOptions): Promise<(() => Promise<void>) | undefined>;

  // --- raw staging ---
  /**
   * Copies the staged rows of a raw table and params from `staging` into
   * `rawTable`, in staging order, a staged page (`records` not null, `data` a
   * JSON array) split into one raw row per element with its exact JSON text.
   */
  publishStaged(knex: Knex, staging: string, rawTable: string, params: string): Promise<void>;
  /**
   * Writes a page of records into `rawTable`, one raw row per element of
   * `page.data` (a JSON array) with its JSON text, in order, by one statement
   * where the database can split the array itself. Returns how many rows it
   * wrote and the smallest and largest id they got (null when none). Call
   * inside a transaction.
   */
  insertRawPage(knex: Knex, rawTable: string, page: RawPage): Promise<RawPageIds>;
  /**
   * A collector's group commit where the database can do it in fewer round
   * trips than a transaction of {@link insertRawPage}s: the pages' raw rows,
   * one ledger row per page that wrote rows (in `stagingTable`: unit, record
   * count, smallest and largest raw id, `data` and `input` null) and the
   * checkpoint (upserted into `stateTable`), all or nothing. `knex` is not a
   * transaction. Absent: the caller runs the steps in a transaction.
   */
  commitRawPages?(knex: Knex, commit: RawPagesCommit): Promise<void>;
  /**
   * How many {@link commitRawPages} of one collection (one `chain`) may be
   * outstanding at once. Above 1 only where the database runs them in call
   * order and, once one fails, fails the chain's later ones without writing
   * (they may be queued behind it): so the next commit is on its way while
   * one is written, and no checkpoint is ever stored past a page that was
   * not. Absent: 1.
   */
  readonly rawCommitsInFlight?: number;

  /**
   * Deletes the rows of `table` whose `_raw_data_table` and `_raw_data_params` are `rawTable` and `params`, on
   * `knex` (the caller's transaction). Absent: the caller deletes them with a plain `DELETE … WHERE`.
   */
  clearOrigin?(knex: Knex, table: string, rawTable: string, params: string): Promise<void>;

  // --- schema ---
  /** Runs a CREATE TABLE builder (Postgres: in one round trip). */
  runCreateTable(knex: Knex, builder: Knex.SchemaBuilder): Promise<void>;
  /** The names of the tables of the current database (Postgres: schema), sorted. */
  tableNames(knex: Knex): Promise<string[]>;
  /**
   * Whether a table (or view) of that name is in the current database (Postgres: schema), where the
   * catalog answers faster than knex's `schema.hasTable`. Absent: knex's.
   */
  hasTable?(knex: Knex, table: string): Promise<boolean>;
  /** The primary key columns of a table, in key order (empty when none or missing). */
  primaryKeyOf(knex: Knex, table: string): Promise<string[]>;
  /**
   * Framework migration `widen_params_columns`: widens the columns holding
   * scope params (`params`, `_raw_data_params`, `raw_data_params`) of tables
   * created before they were declared wide, where the database enforces a width.
   */
  widenParamsColumns(knex: Knex): Promise<unknown>;
  /** After rows were written with explicit ids, moves the table's id generator past them. */
  syncAutoIncrement(knex: Knex, table: string, column: string): Promise<void>;

  // --- test databases ---
  /** Creates a fresh, empty database `name` on the server `url` names; returns the URL that opens it (SQLite: not used). */
  createScratch(url: string, name: string): Promise<string>;
  /** Removes the fresh database `name` (connection `knex`, still open). */
  dropScratch(knex: Knex, name: string): Promise<void>;
}

/** A page of raw records for {@link SqlDialect.insertRawPage}: the columns every row of the page shares, and the records. */
export interface RawPage {
  params: string;
  /**
   * The records as a JSON array (any elements); each becomes one row with that
   * element's JSON text. Bytes are the response body as received (valid
   * UTF-8): a dialect that can send them as they are does, the others decode
   * them ({@link rawPageText}). The collector keeps no decoded copy of a page
   * while it waits to be written: those copies outlived the young generation
   * and made garbage collection a third of the collector's CPU.
   */
  data: string | Buffer;
  url: string | null;
  input: string | null;
  createdAt: Date;
}

/**
 * The error of a commit refused because an earlier commit of its chain failed
 * (RawPagesCommit.chain). The writer thread's runRawCommit, which can import
 * nothing, words it the same.
 */
export function chainRefused(): Error {
  return new Error('not written: an earlier commit of this collection failed');
}

/** A raw page's JSON array as text (bytes decoded as UTF-8). */
export function rawPageText(data: string | Buffer): string {
  return typeof data === 'string' ? data : data.toString('utf8');
}

/** What {@link SqlDialect.commitRawPages} writes. */
export interface RawPagesCommit {
  rawTable: string;
  stagingTable: string;
  stateTable: string;
  /** The params of every page (the key of the checkpoint's row). */
  params: string;
  /** In order; each page's rows get larger ids than the page's before. */
  pages: ReadonlyArray<{ unit: number; url: string; page: RawPage }>;
  /** The checkpoint's JSON. */
  checkpoint: string;
  /** No wait for the log flush at commit (a crash may lose this commit whole). */
  relaxed: boolean;
  /**
   * The collection's own id, the same for each of its commits: after one of
   * them fails, its later ones fail too without writing (see
   * {@link SqlDialect.rawCommitsInFlight}).
   */
  chain?: string;
}

/** What {@link SqlDialect.insertRawPage} wrote. */
export interface RawPageIds {
  rows: number;
  fromId: number | null;
  toId: number | null;
}

/** See {@link SqlDialect.committedReader}. */
export interface CommittedReader {
  /**
   * The rows of `query` in keyset pages of `pageSize` by the single column `key`, from one snapshot, as
   * `Dal.streamPages` yields them without declared columns; undefined when it cannot page that query.
   */
  pages<T>(knex: Knex, query: (db: Knex) => Knex.QueryBuilder, key: string, pageSize: number): AsyncIterable<T[]> | undefined;
}

/** Options of {@link SqlDialect.selectRows}. */
export interface SelectOptions {
  /**
   * Integers beyond 2^53 must come back exact (as bigint), for a decoded read;
   * integers that fit still come back as numbers. Default false.
   */
  exactIntegers?: boolean;
}
