import { FRAMEWORK_TABLES } from '../dal/framework-tables';
import { DevlakeError } from '../core/errors';
import type { Dal } from '../dal/types';

/**
 * The row of `_devlake_ts_collector_latest_state` for one raw table and params:
 * when the last successful collection started (the next incremental run asks
 * for changes since then), the `--time-after` it ran with, and the checkpoint
 * of an unfinished collection (so the next run resumes it).
 */

export const COLLECTOR_STATE_TABLE = FRAMEWORK_TABLES.collectorState;

/** What is known about earlier collections of one raw table and params. */
export interface CollectorState {
  /** Start of the last collection that completed. */
  latestSuccessStart?: Date;
  /** The `--time-after` that collection ran with. */
  timeAfter?: Date;
  /** The checkpoint of a collection that has not completed (JSON), if any. */
  checkpoint?: unknown;
}

const toDate = (v: unknown): Date | undefined => (v === null || v === undefined ? undefined : new Date(v as string));

/** Reads the state; undefined when this raw table and params were never collected. */
export async function getCollectorState(db: Dal, rawTable: string, params: string): Promise<CollectorState | undefined> {
  await requireStateTable(db);
  const row = (await db.knex(COLLECTOR_STATE_TABLE).where({ raw_data_table: rawTable, raw_data_params: params }).first()) as
    | { latest_success_start: unknown; time_after: unknown; checkpoint: string | null }
    | undefined;
  if (!row) return undefined;
  return {
    latestSuccessStart: toDate(row.latest_success_start),
    timeAfter: toDate(row.time_after),
    checkpoint: row.checkpoint ? (JSON.parse(row.checkpoint) as unknown) : undefined,
  };
}

/** Saves (or clears, with null) the checkpoint, keeping the success columns. */
export async function saveCollectorCheckpoint(db: Dal, rawTable: string, params: string, checkpoint: unknown): Promise<void> {
  await writeState(db, rawTable, params, { checkpoint: checkpoint === null ? null : JSON.stringify(checkpoint) });
}

/** Records a completed collection: its start and `--time-after`; clears the checkpoint. */
export async function markCollectorSuccess(db: Dal, rawTable: string, params: string, run: { startedAt: Date; timeAfter?: Date }): Promise<void> {
  await writeState(db, rawTable, params, { latest_success_start: run.startedAt, time_after: run.timeAfter ?? null, checkpoint: null });
}

async function writeState(db: Dal, rawTable: string, params: string, values: Record<string, unknown>): Promise<void> {
  const now = new Date();
  const key = { raw_data_table: rawTable, raw_data_params: params };
  // Dates bind as each dialect stores them (SQLite: ISO text, by its client).
  const updated = await db.knex(COLLECTOR_STATE_TABLE).where(key).update({ ...values, updated_at: now });
  if (Number(updated) === 0) await db.insert(COLLECTOR_STATE_TABLE, [{ ...key, ...values, created_at: now, updated_at: now }]);
}

async function requireStateTable(db: Dal): Promise<void> {
  if (await db.hasTable(COLLECTOR_STATE_TABLE)) return;
  throw new DevlakeError('DEVLAKE_E_DB_QUERY', `Table ${COLLECTOR_STATE_TABLE} does not exist`, {
    hint: 'Apply the framework migrations first: devlake migrate',
  });
}
