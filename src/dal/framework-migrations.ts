import type { Knex } from 'knex';
import { connectionTablesMigration } from './connection-tables';
import { dialectOfKnex } from './dialects';
import { pipelineColumnsMigration } from './pipeline-columns';
import { rawStagingLedgerMigration } from './raw-staging-ledger';
import { serverTablesMigration } from './server-tables';
import type { MigrationScript } from './types';

/**
 * The framework's own tables: pipelines, tasks, subtasks and collector state,
 * under `_devlake_ts_` names (framework-tables.ts). `add_framework_tables`
 * created them as `_devlake_*` until 2026-12, names DevLake uses too; a
 * database from then is moved to the new names by the migrator, which also
 * updates that script's recorded checksum (legacy-tables.ts).
 */
export const frameworkMigrations: MigrationScript[] = [
  {
    version: 20240101000001,
    name: 'add_framework_tables',
    async up(db: Knex) {
      await db.schema.createTable('_devlake_ts_pipelines', (t) => {
        t.bigIncrements('id').primary();
        t.string('name', 255);
        t.string('status', 20).notNullable(); // CREATED RUNNING COMPLETED FAILED CANCELLED
        t.text('message');
        t.timestamp('began_at', { useTz: true });
        t.timestamp('finished_at', { useTz: true });
        t.bigInteger('spent_seconds');
        t.timestamp('created_at', { useTz: true });
        t.timestamp('updated_at', { useTz: true });
      });
      await db.schema.createTable('_devlake_ts_tasks', (t) => {
        t.bigIncrements('id').primary();
        t.bigInteger('pipeline_id').index();
        t.string('plugin', 100).notNullable();
        t.text('options');
        t.string('status', 20).notNullable();
        t.text('message');
        t.string('error_code', 100);
        t.integer('progress');
        t.timestamp('began_at', { useTz: true });
        t.timestamp('finished_at', { useTz: true });
        t.bigInteger('spent_seconds');
        t.timestamp('created_at', { useTz: true });
        t.timestamp('updated_at', { useTz: true });
      });
      await db.schema.createTable('_devlake_ts_subtasks', (t) => {
        t.bigIncrements('id').primary();
        t.bigInteger('task_id').index();
        t.string('name', 255).notNullable();
        t.integer('number');
        t.string('status', 20).notNullable();
        t.text('message');
        t.string('error_code', 100);
        t.bigInteger('rows_written');
        t.timestamp('began_at', { useTz: true });
        t.timestamp('finished_at', { useTz: true });
        t.bigInteger('spent_seconds');
        t.timestamp('created_at', { useTz: true });
        t.timestamp('updated_at', { useTz: true });
      });
      await db.schema.createTable('_devlake_ts_collector_latest_state', (t) => {
        t.string('raw_data_table', 255).notNullable();
        t.string('raw_data_params', 255).notNullable();
        t.timestamp('latest_success_start', { useTz: true });
        t.timestamp('time_after', { useTz: true });
        // Resumable collection: where an unfinished collection stopped (JSON), or null.
        t.text('checkpoint');
        t.timestamp('created_at', { useTz: true });
        t.timestamp('updated_at', { useTz: true });
        t.primary(['raw_data_table', 'raw_data_params']);
      });
    },
  },
  {
    version: 20261203000001,
    name: 'widen_params_columns',
    /**
     * Scope params are JSON a plugin builds from --options: any length. The
     * columns holding them were varchar(255), which Postgres enforces and SQLite
     * does not, so a long scope worked on one and failed mid-run on the other.
     * New tables get `text` (raw-table.ts, raw-staging.ts, columns.ts); this
     * widens the columns of tables created before on Postgres. SQLite ignores
     * varchar widths: nothing to do there.
     */
    async up(db: Knex) {
      await dialectOfKnex(db).widenParamsColumns(db);
    },
  },
  connectionTablesMigration,
  pipelineColumnsMigration,
  serverTablesMigration,
  rawStagingLedgerMigration,
];
