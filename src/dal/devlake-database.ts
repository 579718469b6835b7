import { DevlakeError } from '../core/errors';
import { dialectOf } from './dialects';
import type { Dal } from './types';

/**
 * devlake-ts beside Apache DevLake: `DB_URL` may name a database DevLake owns.
 * Its framework tables are `_devlake_*` (devlake-ts uses `_devlake_ts_*`), and
 * its domain tables are created and migrated by DevLake: devlake-ts writes
 * rows into them as they are, and neither creates nor alters them.
 */

/** A table devlake-ts writes and DevLake creates: the columns and key it needs. */
export interface DevlakeOwnedTable {
  table: string;
  /** Every column devlake-ts may write. */
  columns: readonly string[];
  primaryKey: readonly string[];
}

/**
 * True when Apache DevLake owns the database: its blueprints table, or its
 * migration history (`script_version`, not devlake-ts's `owner`/`version`), is there.
 */
export async function isDevlakeDatabase(db: Dal): Promise<boolean> {
  if (await db.hasTable('_devlake_blueprints')) return true;
  if (!(await db.hasTable('_devlake_migration_history'))) return false;
  const columns = Object.keys((await db.knex('_devlake_migration_history').columnInfo()) as object);
  return columns.includes('script_version');
}

/**
 * Checks that each table exists with the columns and primary key devlake-ts
 * needs, as DevLake created it (types are DevLake's own and left alone).
 * Throws DEVLAKE_E_DB_TABLE_INCOMPATIBLE naming every problem, before
 * anything is written.
 */
export async function verifyDevlakeTables(db: Dal, tables: readonly DevlakeOwnedTable[]): Promise<void> {
  const problems: string[] = [];
  const missing: string[] = [];
  for (const t of tables) {
    if (!(await db.hasTable(t.table))) {
      missing.push(t.table);
      continue;
    }
    const have = new Set(Object.keys((await db.knex(t.table).columnInfo()) as object));
    const lacking = t.columns.filter((c) => !have.has(c));
    if (lacking.length > 0) problems.push(`${t.table} lacks ${lacking.join(', ')}`);
    const pk = await dialectOf(db.dialect).primaryKeyOf(db.knex, t.table);
    if (pk.join(',') !== t.primaryKey.join(',')) problems.push(`${t.table} has primary key (${pk.join(', ')}), not (${t.primaryKey.join(', ')})`);
  }
  if (missing.length > 0) problems.unshift(`missing table${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  if (problems.length === 0) return;
  throw new DevlakeError('DEVLAKE_E_DB_TABLE_INCOMPATIBLE', `${db.safeUrl} is an Apache DevLake database whose domain tables do not fit devlake-ts: ${problems.join('; ')}`, {
    hint: "Upgrade DevLake so its migrations create these tables, or point DB_URL at a database of devlake-ts's own.",
    data: { missing, problems },
  });
}
