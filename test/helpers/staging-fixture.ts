import { frameworkMigrations } from '../../src/dal/framework-migrations';
import { migrate } from '../../src/dal/migrator';
import { ensureRawTable } from '../../src/dal/raw-table';
import { ensureStagingTable } from '../../src/helpers/raw-staging';
import type { TestDb } from '../../src/testing/databases';

/** A fresh test database with the framework tables, the raw table `raw` and the collector's staging table. */
export async function openStagingDb(open: () => Promise<TestDb>, raw: string): Promise<TestDb> {
  const db = await open();
  await migrate(db.dal, [{ owner: 'framework', scripts: frameworkMigrations }]);
  await ensureRawTable(db.dal, raw);
  await ensureStagingTable(db.dal);
  return db;
}
