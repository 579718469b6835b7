import { forEachPooledBatch, type BenchRawRow } from './lib/data';
import { pgClient } from './lib/db';
import type { Measure } from './lib/measure';
import { BATCH_ROWS, rawInsertMeasure } from './lib/raw_insert';

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

/** Collector raw-row writes on Postgres against `COPY … FROM STDIN` of the same rows. */
export const measure: Measure = {
  name: 'raw_insert_pg',
  description: 'raw rows through Dal.insert and the collector path vs COPY FROM STDIN (pg-copy-streams), one transaction',
  run: (ctx) =>
    rawInsertMeasure(
      'postgres',
      'raw_insert_pg',
      { min: 0.85 },
      'COPY FROM STDIN',
      (db) => {
        const { from: copyFrom } = require('pg-copy-streams') as typeof import('pg-copy-streams');
        const connecting = pgClient(db);
        return {
          async trial(table, total) {
            const client = await connecting;
            const start = process.hrtime.bigint();
            await client.query('BEGIN');
            const stream = client.query(copyFrom(`COPY "${table}" (params, data, url, input, created_at) FROM STDIN`));
            const done = new Promise<void>((resolve, reject) => {
              stream.on('finish', resolve);
              stream.on('error', reject);
            });
            await forEachPooledBatch(total, BATCH_ROWS, async (rows) => {
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
      },
      ctx,
    ),
};
