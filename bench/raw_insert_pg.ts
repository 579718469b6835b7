import { forEachPooledBatch } from './lib/data';
import type { Measure } from './lib/measure';
import { BATCH_ROWS, rawInsertMeasure } from './lib/raw_insert';
import { pgCopyCeiling } from './lib/write-ceilings';

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
        const c = pgCopyCeiling(db);
        return { trial: (table, total) => c.trial(table, (each) => forEachPooledBatch(total, BATCH_ROWS, each)), close: () => c.close() };
      },
      ctx,
    ),
};
