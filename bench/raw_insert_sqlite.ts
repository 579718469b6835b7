import { forEachPooledBatch } from './lib/data';
import { sqliteConnection } from './lib/db';
import type { Measure } from './lib/measure';
import { BATCH_ROWS, rawInsertMeasure } from './lib/raw_insert';

/** Collector raw-row writes on SQLite against better-sqlite3 single-row prepared INSERTs in one transaction. */
export const measure: Measure = {
  name: 'raw_insert_sqlite',
  description: 'raw rows through Dal.insert and the collector path vs better-sqlite3 prepared single-row INSERT, one transaction',
  run: (ctx) =>
    rawInsertMeasure(
      'sqlite',
      'raw_insert_sqlite',
      { min: 0.9 },
      'prepared single-row INSERT',
      (db) => {
        const conn = sqliteConnection(db);
        return {
          async trial(table, total) {
            const stmt = conn.prepare(`INSERT INTO "${table}" (params, data, url, input, created_at) VALUES (?, ?, ?, ?, ?)`);
            const start = process.hrtime.bigint();
            conn.exec('BEGIN');
            await forEachPooledBatch(total, BATCH_ROWS, (rows) => {
              for (const row of rows) stmt.run(row.params, row.data, row.url, row.input, row.created_at);
            });
            conn.exec('COMMIT');
            return Number(process.hrtime.bigint() - start) / 1e6;
          },
          close() {
            conn.close();
          },
        };
      },
      ctx,
    ),
};
