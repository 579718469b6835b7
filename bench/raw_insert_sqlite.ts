import { ensureRawTable } from '../src/dal/raw-table';
import { forEachBatch } from './lib/data';
import { withBenchDb, sqliteConnection } from './lib/db';
import type { Measure } from './lib/measure';
import { oursRawInsert, PAGE_ROWS, rawInsertRows } from './lib/raw_insert';
import { compare, perSecond } from './lib/timing';

/** Collector raw-row writes on SQLite against better-sqlite3 single-row prepared INSERTs in one transaction. */
export const measure: Measure = {
  name: 'raw_insert_sqlite',
  description: 'Dal.insert of raw rows (pages of 100) vs better-sqlite3 prepared single-row INSERT, one transaction',
  async run({ quick, log }) {
    const total = rawInsertRows(quick);
    return withBenchDb('sqlite', async (db) => {
      const conn = sqliteConnection(db);
      try {
        const result = await compare(
          quick ? 2 : 3,
          (r) => oursRawInsert(db.dal, `_raw_bench_ours_${r}`, total),
          async (r) => {
            const table = `_raw_bench_ceiling_${r}`;
            await ensureRawTable(db.dal, table);
            const stmt = conn.prepare(`INSERT INTO "${table}" (params, data, url, input, created_at) VALUES (?, ?, ?, ?, ?)`);
            const start = process.hrtime.bigint();
            conn.exec('BEGIN');
            await forEachBatch(total, PAGE_ROWS, (rows) => {
              for (const row of rows) stmt.run(row.params, row.data, row.url, row.input, row.created_at);
            });
            conn.exec('COMMIT');
            return Number(process.hrtime.bigint() - start) / 1e6;
          },
        );
        log(`raw_insert_sqlite: ours ${result.samples.ours.map(Math.round).join('/')} ms, ceiling ${result.samples.ceiling.map(Math.round).join('/')} ms`);
        return [
          {
            name: 'raw_insert_sqlite',
            value: perSecond(total, result.oursMs),
            ceiling: perSecond(total, result.ceilingMs),
            ratio: result.ceilingMs / result.oursMs,
            unit: 'rows/s',
            goal: { min: 0.9 },
            size: `${total} rows of ~1 KB`,
          },
        ];
      } finally {
        conn.close();
      }
    });
  },
};
