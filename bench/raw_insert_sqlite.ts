import { forEachPooledBatch } from './lib/data';
import type { Measure } from './lib/measure';
import { BATCH_ROWS, rawInsertMeasure } from './lib/raw_insert';
import { sqliteInsertCeiling } from './lib/write-ceilings';

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
        const c = sqliteInsertCeiling(db);
        return { trial: (table, total) => c.trial(table, (each) => forEachPooledBatch(total, BATCH_ROWS, each)), close: () => c.close() };
      },
      ctx,
    ),
};
