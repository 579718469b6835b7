import { checksumOf } from './migration-checksum';
import { environmentProblem } from '../core/environment-errors';
import { DevlakeError } from '../core/errors';
import { isDevlakeDatabase, verifyDevlakeTables, type DevlakeOwnedTable } from './devlake-database';
import { FRAMEWORK_TABLES } from './framework-tables';
import { upgradeLegacyTables } from './legacy-tables';
import type { Logger } from '../core/logger';
import { isConnectionError, lostConnectionError } from './connection-error';
import { acquireLock, ensureLockTable } from './db-lock';
import type { Dal, MigrationScript } from './types';

/** Where migration history is kept (DevLake's own is `_devlake_migration_history`). */
export const MIGRATION_HISTORY_TABLE = FRAMEWORK_TABLES.migrationHistory;

/** The scripts of one owner: `framework`, `domain` or `plugin:<name>`. */
export interface MigrationSet {
  owner: string;
  scripts: MigrationScript[];
  /**
   * The tables of this set are Apache DevLake's own (the domain layer): in a
   * database DevLake owns, the set is not applied; these tables are checked
   * instead and used as they are (see devlake-database.ts).
   */
  ownedByDevlake?: readonly DevlakeOwnedTable[];
}

/** One script applied by `migrate()`. */
export interface AppliedMigration {
  owner: string;
  version: number;
  name: string;
}

export { checksumOf } from './migration-checksum';

/**
 * Applies pending scripts, set by set in the order given and by version within
 * a set, each in its own transaction with its history row. An applied script
 * whose checksum changed is refused before anything runs.
 */
export async function migrate(db: Dal, sets: readonly MigrationSet[], options: { logger?: Logger } = {}): Promise<AppliedMigration[]> {
  // Nothing pending: done, without a write (on SQLite a write would wait for any run's open transaction).
  if ((await db.hasTable(MIGRATION_HISTORY_TABLE)) && (await pendingScripts(db, sets)).length === 0) return [];
  // Two processes on a fresh database: the second waits here, then finds nothing left to apply.
  await ensureLockTable(db);
  const lock = await acquireLock(db, MIGRATION_LOCK, {
    wait: true,
    logger: options.logger,
    what: 'the migrations',
    hint: 'Wait for the other process to finish migrating.',
    description: 'devlake migrate',
  });
  try {
    await ensureHistoryTable(db, sets);
    return await applyPending(db, await pendingScripts(db, await setsToApply(db, sets)));
  } finally {
    await lock.release();
  }
}

/**
 * The sets to apply: in a database Apache DevLake owns, a set of DevLake's
 * own tables is checked (DEVLAKE_E_DB_TABLE_INCOMPATIBLE when a table is
 * missing or lacks a column or key) and left out: DevLake migrates them.
 */
async function setsToApply(db: Dal, sets: readonly MigrationSet[]): Promise<readonly MigrationSet[]> {
  const devlakes = sets.filter((s) => s.ownedByDevlake);
  if (devlakes.length === 0 || !(await isDevlakeDatabase(db))) return sets;
  for (const set of devlakes) await verifyDevlakeTables(db, set.ownedByDevlake!);
  return sets.filter((s) => !s.ownedByDevlake);
}

/** The lock every process takes before applying migrations. */
export const MIGRATION_LOCK = 'migrate';

interface PendingScript {
  owner: string;
  script: MigrationScript;
  checksum: string;
}

/** The scripts not applied yet, in order; refuses invalid versions and edited applied scripts. */
async function pendingScripts(db: Dal, sets: readonly MigrationSet[]): Promise<PendingScript[]> {
  const history = (await db.knex(MIGRATION_HISTORY_TABLE).select('owner', 'version', 'checksum')) as Array<{
    owner: string;
    version: number | string;
    checksum: string;
  }>;
  const applied = new Map(history.map((h) => [`${h.owner}#${Number(h.version)}`, h.checksum]));

  const pending: PendingScript[] = [];
  for (const set of sets) {
    const seen = new Set<number>();
    for (const script of [...set.scripts].sort((a, b) => a.version - b.version)) {
      if (!Number.isSafeInteger(script.version) || seen.has(script.version)) {
        throw new DevlakeError('DEVLAKE_E_DB_MIGRATION', `Migration ${set.owner} ${script.version} "${script.name}" has an invalid or duplicate version`, {
          hint: 'Give each script a unique integer version such as 20240101000000.',
        });
      }
      seen.add(script.version);
      const checksum = checksumOf(script);
      const previous = applied.get(`${set.owner}#${script.version}`);
      if (previous === undefined) pending.push({ owner: set.owner, script, checksum });
      else if (previous !== checksum && !script.acceptedChecksums?.includes(previous)) {
        throw new DevlakeError(
          'DEVLAKE_E_DB_MIGRATION_CHECKSUM',
          `Migration ${set.owner} ${script.version} "${script.name}" was changed after it was applied`,
          {
            hint: 'Restore the applied script and put the change in a new migration (devlake create-migration).',
            data: { owner: set.owner, version: script.version },
          },
        );
      }
    }
  }

  return pending;
}

async function applyPending(db: Dal, pending: readonly PendingScript[]): Promise<AppliedMigration[]> {
  const done: AppliedMigration[] = [];
  for (const { owner, script, checksum } of pending) {
    // The script's own error: SQLite ends the transaction itself on some (a full disk), and the
    // failed ROLLBACK that follows would otherwise be the only error reported.
    let failure: { error: unknown } | undefined;
    try {
      await db.transaction(async (tx) => {
        try {
          await script.up(tx.knex);
          await tx.knex(MIGRATION_HISTORY_TABLE).insert({
            owner,
            version: script.version,
            name: script.name,
            checksum,
            applied_at: new Date(), // bound as each dialect stores dates (SQLite: ISO text, by its client)
          });
        } catch (error) {
          failure = { error };
          throw error;
        }
      });
    } catch (caught) {
      const err = failure ? failure.error : caught;
      if (isConnectionError(err)) throw lostConnectionError(err, `migration ${owner} ${script.version} "${script.name}" (rolled back)`);
      throw new DevlakeError('DEVLAKE_E_DB_MIGRATION', `Migration ${owner} ${script.version} "${script.name}" failed: ${(err as Error).message}`, {
        cause: err,
        hint: environmentProblem(err)?.hint ?? 'Fix the script and run `devlake migrate` again; the failed script was rolled back.',
        data: { owner, version: script.version },
      });
    }
    done.push({ owner, version: script.version, name: script.name });
  }
  return done;
}

/**
 * Creates the history table on first use; in a database devlake-ts wrote
 * before the `_devlake_ts_` names, in the same transaction, moves the legacy
 * history and tables over (legacy-tables.ts).
 */
async function ensureHistoryTable(db: Dal, sets: readonly MigrationSet[]): Promise<void> {
  if (await db.hasTable(MIGRATION_HISTORY_TABLE)) return;
  const checksumNow = (owner: string, version: number): string | undefined => {
    const script = sets.find((s) => s.owner === owner)?.scripts.find((s) => s.version === version);
    return script ? checksumOf(script) : undefined;
  };
  await db.transaction(async (tx) => {
    await tx.knex.schema.createTable(MIGRATION_HISTORY_TABLE, (t) => {
      t.string('owner', 100).notNullable();
      t.bigInteger('version').notNullable();
      t.string('name', 255).notNullable();
      t.string('checksum', 64).notNullable();
      t.timestamp('applied_at', { useTz: true }).notNullable();
      t.primary(['owner', 'version']);
    });
    await upgradeLegacyTables(tx.knex, checksumNow);
  });
}
