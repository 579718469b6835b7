import { Readable } from 'node:stream';
import { forEachPooledBatch, type BenchRawRow } from './lib/data';
import { mysqlClient } from './lib/db';
import type { Measure } from './lib/measure';
import { BATCH_ROWS, rawInsertMeasure } from './lib/raw_insert';

/** LOAD DATA's default text format: backslash, tab and newline escaped; null is \N. */
function loadField(v: string | null): string {
  if (v === null) return '\\N';
  return /[\\\t\n\0]/.test(v) ? v.replace(/[\\\t\n\0]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\0': '\\0' })[c]!) : v;
}

/** created_at as DATETIME text (the bench rows carry ISO-8601 with a Z). */
const datetime = (iso: string | null): string | null => (iso === null ? null : iso.replace('T', ' ').replace('Z', ''));

function loadLines(rows: BenchRawRow[]): string {
  let out = '';
  for (const r of rows) out += `${loadField(r.params)}\t${loadField(r.data)}\t${loadField(r.url)}\t${loadField(r.input)}\t${loadField(datetime(r.created_at))}\n`;
  return out;
}

/** Collector raw-row writes on MySQL/MariaDB against LOAD DATA LOCAL INFILE of the same rows (the server's bulk path). */
export const measure: Measure = {
  name: 'raw_insert_mysql',
  description: 'raw rows through Dal.insert and the collector path vs LOAD DATA LOCAL INFILE streamed from the client, one transaction',
  run: (ctx) =>
    rawInsertMeasure(
      'mysql',
      'raw_insert_mysql',
      { min: 0.5 },
      'LOAD DATA LOCAL INFILE',
      (db) => {
        const connecting = mysqlClient(db);
        return {
          async trial(table, total) {
            const conn = await connecting;
            const start = process.hrtime.bigint();
            await conn.query('BEGIN');
            const chunks: string[] = [];
            await forEachPooledBatch(total, BATCH_ROWS, (rows) => {
              chunks.push(loadLines(rows));
            });
            await conn.query({
              sql: `LOAD DATA LOCAL INFILE 'rows' INTO TABLE \`${table}\` CHARACTER SET utf8mb4 (params, data, url, input, created_at)`,
              infileStreamFactory: () => Readable.from(chunks.map((c) => Buffer.from(c, 'utf8'))),
            });
            await conn.query('COMMIT');
            return Number(process.hrtime.bigint() - start) / 1e6;
          },
          async close() {
            await (await connecting).end();
          },
        };
      },
      ctx,
    ),
};
