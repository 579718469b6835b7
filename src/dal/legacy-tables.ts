import type { Knex } from 'knex';
import { FRAMEWORK_TABLES, LEGACY_TABLE_NAMES } from './framework-tables';

/**
 * Upgrades a database devlake-ts wrote before its framework tables were
 * renamed to `_devlake_ts_*`: the legacy migration history's rows move to the
 * new history table, and each legacy table devlake-ts created moves to its new
 * name with its rows. A table of the old name that devlake-ts did not create
 * (Apache DevLake's own `_devlake_pipelines`, `_devlake_migration_history`, …)
 * is left alone: the legacy history must carry devlake-ts's columns, and a
 * legacy table is renamed only when that history shows devlake-ts created it.
 *
 * `checksumNow(owner, version)`: the current checksum of a script, written over
 * the record of the one script that created the tables under their old names
 * (`framework` 20240101000001 `add_framework_tables`, which now creates the
 * new names): after the rename the schema is what that script creates today.
 *
 * Runs inside the transaction that creates the new history table.
 */
export async function upgradeLegacyTables(tx: Knex, checksumNow: (owner: string, version: number) => string | undefined): Promise<string[]> {
  const legacyHistory = '_devlake_migration_history';
  if (!(await tx.schema.hasTable(legacyHistory))) return [];
  const columns = Object.keys((await tx(legacyHistory).columnInfo()) as object);
  if (!['owner', 'version', 'checksum', 'applied_at'].every((c) => columns.includes(c))) return []; // DevLake's own history

  const rows = (await tx(legacyHistory).select('owner', 'version', 'name', 'checksum', 'applied_at')) as Array<{
    owner: string;
    version: number | string;
    name: string;
    checksum: string;
    applied_at: unknown;
  }>;
  const createdFrameworkTables = rows.some((r) => r.owner === 'framework' && Number(r.version) === CREATED_LEGACY.version);
  const renamed: string[] = [];
  for (const [legacy, current] of Object.entries(LEGACY_TABLE_NAMES)) {
    if (legacy === legacyHistory) continue;
    // The staging table is created on first use, not by a migration: its own columns identify it.
    const ours = legacy === '_devlake_raw_staging' ? await hasColumns(tx, legacy, ['raw_table', 'records']) : createdFrameworkTables;
    if (ours && (await tx.schema.hasTable(legacy)) && !(await tx.schema.hasTable(current))) {
      await tx.schema.renameTable(legacy, current);
      renamed.push(legacy);
    }
  }
  const copied = rows.map((r) => {
    const version = Number(r.version);
    const refreshed = r.owner === 'framework' && version === CREATED_LEGACY.version ? checksumNow(r.owner, version) : undefined;
    return { owner: r.owner, version, name: r.name, checksum: refreshed ?? r.checksum, applied_at: r.applied_at };
  });
  // Chunks: a history can be longer than one statement's parameter limit allows.
  for (let i = 0; i < copied.length; i += 200) await tx(FRAMEWORK_TABLES.migrationHistory).insert(copied.slice(i, i + 200));
  await tx.schema.dropTable(legacyHistory);
  renamed.push(legacyHistory);
  return renamed;
}

/** The script that created the framework tables under their legacy names. */
const CREATED_LEGACY = { owner: 'framework', version: 20240101000001 } as const;

async function hasColumns(tx: Knex, table: string, wanted: readonly string[]): Promise<boolean> {
  if (!(await tx.schema.hasTable(table))) return false;
  const columns = Object.keys((await tx(table).columnInfo()) as object);
  return wanted.every((c) => columns.includes(c));
}
