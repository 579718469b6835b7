import { ensureRawTable } from '../../src/dal/raw-table';
import type { Dal } from '../../src/dal/types';
import { forEachBatch } from './data';

/** Fills a raw table with `total` distinct issues (set-up, not timed). */
export async function populateRaw(dal: Dal, table: string, total: number): Promise<void> {
  await ensureRawTable(dal, table);
  await dal.transaction(async (tx) => {
    await forEachBatch(total, 1000, async (rows) => {
      await tx.insert(table, rows);
    });
  });
}
