import { ensureRawTable } from '../src/dal/raw-table';
import { forEachBatch, type BenchRawRow } from './lib/data';
import { pgClient, withBenchDb } from './lib/db';
import type { Measure } from './lib/measure';
import { oursRawInsert, PAGE_ROWS, rawInsertRows } from './lib/raw_insert';
import { compare, perSecond } from './lib/timing';

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
  description: 'Dal.insert of raw rows (pages of 100) vs COPY FROM STDIN (pg-copy-streams), one transaction',
  async run({ quick, log }) {
    const total = rawInsertRows(quick);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { from: copyFrom } = require('pg-copy-streams') as typeof import('pg-copy-streams');
    return withBenchDb('postgres', async (db) => {
      const client = await pgClient(db);
      try {
        const result = await compare(
          quick ? 2 : 3,
          (r) => oursRawInsert(db.dal, `_raw_bench_ours_${r}`, total),
          async (r) => {
            const table = `_raw_bench_ceiling_${r}`;
            await ensureRawTable(db.dal, table);
            const start = process.hrtime.bigint();
            await client.query('BEGIN');
            const stream = client.query(copyFrom(`COPY "${table}" (params, data, url, input, created_at) FROM STDIN`));
            const done = new Promise<void>((resolve, reject) => {
              stream.on('finish', resolve);
              stream.on('error', reject);
            });
            await forEachBatch(total, PAGE_ROWS, async (rows) => {
              if (!stream.write(copyLines(rows))) await new Promise((resolve) => stream.once('drain', resolve));
            });
            stream.end();
            await done;
            await client.query('COMMIT');
            return Number(process.hrtime.bigint() - start) / 1e6;
          },
        );
        log(`raw_insert_pg: ours ${result.samples.ours.map(Math.round).join('/')} ms, ceiling ${result.samples.ceiling.map(Math.round).join('/')} ms`);
        return [
          {
            name: 'raw_insert_pg',
            value: perSecond(total, result.oursMs),
            ceiling: perSecond(total, result.ceilingMs),
            ratio: result.ceilingMs / result.oursMs,
            unit: 'rows/s',
            goal: { min: 0.85 },
            size: `${total} rows of ~1 KB`,
          },
        ];
      } finally {
        await client.end();
      }
    });
  },
};
