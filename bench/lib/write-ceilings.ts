import type { BenchRawRow } from './data';
import { pgClient, settleWrites, sqliteConnection, type BenchDb } from './db';

/** Hands the rows to write, a batch at a time. */
export type RowSource = (each: (rows: BenchRawRow[]) => Promise<void> | void) => Promise<void>;

/** A database's best bulk path for raw rows: `trial` writes every row of `source` into `table` in one transaction and returns ms. */
export interface WriteCeiling {
  trial(table: string, source: RowSource): Promise<number>;
  close(): Promise<void> | void;
}

/** SQLite: better-sqlite3 prepared single-row INSERTs in one transaction. */
export function sqliteInsertCeiling(db: BenchDb): WriteCeiling {
  const conn = sqliteConnection(db);
  return {
    async trial(table, source) {
      const stmt = conn.prepare(`INSERT INTO "${table}" (params, data, url, input, created_at) VALUES (?, ?, ?, ?, ?)`);
      const start = process.hrtime.bigint();
      conn.exec('BEGIN');
      await source((rows) => {
        for (const row of rows) stmt.run(row.params, row.data, row.url, row.input, row.created_at);
      });
      conn.exec('COMMIT');
      // Into the database file, as every SQLite window ends.
      await settleWrites(db.dal);
      return Number(process.hrtime.bigint() - start) / 1e6;
    },
    close() {
      conn.close();
    },
  };
}

/** COPY text format: backslash, tab, newline and carriage return are escaped; null is \N. */
function copyField(v: string | null): string {
  if (v === null) return '\\N';
  return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!) : v;
}

function copyLines(rows: BenchRawRow[]): string {
  let out = '';
  for (const r of rows) {
    out += `${copyField(r.params)}\t${copyField(r.data)}\t${copyField(r.url)}\t${copyField(r.input)}\t${copyField(r.created_at)}\n`;
  }
  return out;
}

/** Postgres: `COPY … FROM STDIN` (pg-copy-streams) in one transaction. */
export function pgCopyCeiling(db: BenchDb): WriteCeiling {
  const { from: copyFrom } = require('pg-copy-streams') as typeof import('pg-copy-streams');
  const connecting = pgClient(db);
  return {
    async trial(table, source) {
      const client = await connecting;
      const start = process.hrtime.bigint();
      await client.query('BEGIN');
      const stream = client.query(copyFrom(`COPY "${table}" (params, data, url, input, created_at) FROM STDIN`));
      const done = new Promise<void>((resolve, reject) => {
        stream.on('finish', resolve);
        stream.on('error', reject);
      });
      await source(async (rows) => {
        if (!stream.write(copyLines(rows))) await new Promise((resolve) => stream.once('drain', resolve));
      });
      stream.end();
      await done;
      await client.query('COMMIT');
      return Number(process.hrtime.bigint() - start) / 1e6;
    },
    async close() {
      await (await connecting).end();
    },
  };
}
