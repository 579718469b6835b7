import { ensureRawTable } from '../../src/dal/raw-table';
import type { Dal } from '../../src/dal/types';
import { forEachBatch } from './data';

/** Rows per write: one page of the collector (collect_http pages hold 100 records). */
export const PAGE_ROWS = 100;

/** Raw rows the raw_insert measures write. */
export function rawInsertRows(quick: boolean): number {
  return quick ? 20_000 : 100_000;
}

/** Our path: the collector's raw-row writes, `Dal.insert` one page at a time in one transaction. */
export async function oursRawInsert(dal: Dal, table: string, total: number): Promise<number> {
  await ensureRawTable(dal, table);
  const start = process.hrtime.bigint();
  await dal.transaction(async (tx) => {
    await forEachBatch(total, PAGE_ROWS, async (rows) => {
      await tx.insert(table, rows);
    });
  });
  return Number(process.hrtime.bigint() - start) / 1e6;
}
