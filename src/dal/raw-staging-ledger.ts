import type { Knex } from 'knex';
import type { MigrationScript } from './types';

/**
 * Raw rows written once: a collection writes each page straight into the raw
 * table and records the page's raw ids in the staging table (its ledger, see
 * helpers/raw-staging.ts). Adds the id columns to a staging table created
 * before; a new one is created with them.
 */
export const rawStagingLedgerMigration: MigrationScript = {
  version: 20261203131501,
  name: 'add_raw_staging_ledger_columns',
  async up(db: Knex) {
    // Literal names: an applied migration is frozen, and its checksum must not depend on how an import compiles.
    // The staging table is created on first use, so it may not exist yet.
    // (Plain statements: tsc and swc print `!(await x)` differently, and the checksum compares tokens.)
    const staging = await db.schema.hasTable('_devlake_ts_raw_staging');
    if (!staging) return;
    const done = await db.schema.hasColumn('_devlake_ts_raw_staging', 'raw_from_id');
    if (done) return;
    await db.schema.alterTable('_devlake_ts_raw_staging', (t) => {
      t.bigInteger('raw_from_id');
      t.bigInteger('raw_to_id');
    });
  },
};
