import type { Knex } from 'knex';

/**
 * Column sets shared by tool and domain tables, for migration scripts.
 * They mirror DevLake's `common.NoPKModel` (created_at, updated_at and the
 * RawDataOrigin provenance columns).
 */

/** `created_at`, `updated_at` (defaulting to now). */
export function addTimestamps(t: Knex.CreateTableBuilder, db: Knex): void {
  t.timestamp('created_at', { useTz: true }).defaultTo(db.fn.now());
  t.timestamp('updated_at', { useTz: true }).defaultTo(db.fn.now());
}

/**
 * `_raw_data_params`, `_raw_data_table`, `_raw_data_id`, `_raw_data_remark`, with an index on params.
 * Params are `text`, not DevLake's varchar(255): a plugin's scope JSON has any length, and only some
 * databases enforce a width (framework migration `widen_params_columns` widens older tables).
 */
export function addRawDataOrigin(t: Knex.CreateTableBuilder): void {
  t.text('_raw_data_params').index();
  t.string('_raw_data_table', 255);
  t.bigInteger('_raw_data_id');
  t.text('_raw_data_remark');
}

/** Everything DevLake's `NoPKModel` adds: timestamps and provenance. */
export function addNoPkModelColumns(t: Knex.CreateTableBuilder, db: Knex): void {
  addTimestamps(t, db);
  addRawDataOrigin(t);
}
