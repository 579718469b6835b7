import { quoteIdentifier } from '../ansi-sql';
import type { RawPagesCommit } from '../dialect';

/**
 * A collector's group commit on SQLite as plain data (SQL texts and bound
 * values only), so the same transaction runs on the event loop's connection
 * or, handed over by `postMessage`, on the raw writer thread's.
 */
export interface RawCommitJob {
  /** The page insert (json_each), the ledger row insert and the checkpoint upsert. */
  sql: [page: string, ledger: string, checkpoint: string];
  rawTable: string;
  params: string;
  /** In order: the unit, the redacted URL (ledger), the page's `url` column, `input`, `created_at` and its JSON array (text, or UTF-8 bytes decoded where the job runs). */
  pages: Array<[unit: number, url: string, pageUrl: unknown, input: unknown, createdAt: unknown, data: unknown]>;
  checkpoint: string;
  /** The checkpoint's timestamp, as bound. */
  now: unknown;
  /** The collection's id (RawPagesCommit.chain): once a job of it fails, its later jobs fail unwritten. */
  chain?: string;
}

/** What {@link runRawCommit} needs of a better-sqlite3 connection. */
export interface RawCommitConnection {
  inTransaction?: boolean;
}

interface RunStatement {
  run(params: unknown[]): unknown;
}

/**
 * Splits a page's JSON array into raw rows, one per element, its text as
 * written (a string element JSON-quoted), in array order: the order
 * json_each yields them, which a plain scan keeps. `ORDER BY j.key` made
 * SQLite copy each page through a temporary B-tree, ~5 % of the writer's
 * time (the api-collector and raw-writer tests check the order).
 */
export function sqliteRawPageSql(rawTable: string): string {
  return (
    `insert into ${quoteIdentifier(rawTable)} (params, data, url, input, created_at) ` +
    `select ?, case j.type when 'object' then j.value when 'array' then j.value when 'text' then json_quote(j.value) ` +
    `when 'true' then 'true' when 'false' then 'false' when 'null' then 'null' else cast(j.value as text) end, ?, ?, ? ` +
    `from json_each(?) j`
  );
}

/** The job of a commit: values converted for the driver (`toDriver`), nothing left that a thread cannot receive. */
export function rawCommitJob(c: RawPagesCommit, toDriver: (v: unknown) => unknown): RawCommitJob {
  const value = (v: unknown): unknown => (v === null || v === undefined ? null : toDriver(v));
  return {
    sql: [
      sqliteRawPageSql(c.rawTable),
      `insert into ${quoteIdentifier(c.stagingTable)} (raw_table, params, unit, records, data, url, input, created_at, raw_from_id, raw_to_id) values (?, ?, ?, ?, null, ?, null, ?, ?, ?)`,
      `insert into ${quoteIdentifier(c.stateTable)} (raw_data_table, raw_data_params, checkpoint, created_at, updated_at) values (?, ?, ?, ?, ?) ` +
        `on conflict (raw_data_table, raw_data_params) do update set checkpoint = excluded.checkpoint, updated_at = excluded.updated_at`,
    ],
    rawTable: c.rawTable,
    params: c.params,
    pages: c.pages.map((p) => [p.unit, p.url, value(p.page.url), value(p.page.input), value(p.page.createdAt), value(p.page.data)]),
    checkpoint: c.checkpoint,
    now: toDriver(new Date()),
    ...(c.chain === undefined ? {} : { chain: c.chain }),
  };
}

/**
 * Runs a commit job in one transaction: each page's raw rows, its ledger row
 * (ids consecutive: one writer at a time, AUTOINCREMENT), then the
 * checkpoint; all or nothing. BEGIN IMMEDIATE takes the write lock first (or
 * waits for it up to the connection's busy_timeout), with every value in hand.
 * `failedChains` holds the chains with a failed job (the caller's, one per
 * connection): a later job of one of them fails without writing, since the
 * checkpoint it carries counts the failed job's pages as saved.
 *
 * Self-contained (no imports, no module state): the writer thread runs it
 * from its source text. Not instrumented for coverage: a counter added to its
 * body would not exist in the thread, and every commit there would fail.
 */
/* istanbul ignore next */
export function runRawCommit(conn: RawCommitConnection, prepare: (sql: string) => RunStatement, job: RawCommitJob, failedChains: Set<string>): void {
  // As chainRefused() words it (nothing can be imported here).
  if (job.chain !== undefined && failedChains.has(job.chain)) throw new Error('not written: an earlier commit of this collection failed');
  try {
    const page = prepare(job.sql[0]);
    const ledger = prepare(job.sql[1]);
    const checkpoint = prepare(job.sql[2]);
    prepare('BEGIN IMMEDIATE').run([]);
    try {
      for (const [unit, url, pageUrl, input, createdAt, data] of job.pages) {
        // Bytes are decoded here, on the writer thread when there is one: off the event loop.
        const text = typeof data === 'string' || data === null ? data : new TextDecoder('utf-8', { ignoreBOM: true }).decode(data as Uint8Array);
        const r = page.run([job.params, pageUrl, input, createdAt, text]) as { changes: number; lastInsertRowid: number | bigint };
        if (r.changes === 0) continue;
        const last = Number(r.lastInsertRowid);
        ledger.run([job.rawTable, job.params, unit, r.changes, url, createdAt, last - r.changes + 1, last]);
      }
      checkpoint.run([job.rawTable, job.params, job.checkpoint, job.now, job.now]);
      prepare('COMMIT').run([]);
    } catch (err) {
      if (conn.inTransaction !== false) prepare('ROLLBACK').run([]);
      throw err;
    }
  } catch (err) {
    if (job.chain !== undefined) failedChains.add(job.chain);
    throw err;
  }
}
