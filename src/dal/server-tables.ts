import type { Knex } from 'knex';
import type { MigrationScript } from './types';

/** Blueprints saved through `devlake serve`: connections × scopes, sync policy and cron, as JSON. */
export const BLUEPRINTS_TABLE = '_devlake_ts_blueprints';
/** Log lines of pipeline tasks (already redacted), so a task's log outlives the process that ran it. */
export const TASK_LOGS_TABLE = '_devlake_ts_task_logs';

/**
 * Blueprints and task logs, and the blueprint a pipeline was made from (by
 * id: a blueprint can be renamed). Knex's schema builder only, so the one
 * script runs on every database devlake-ts supports.
 */
export const serverTablesMigration: MigrationScript = {
  version: 20261203000301,
  name: 'add_blueprints_and_task_logs',
  async up(db: Knex) {
    // Literal names: an applied migration is frozen, and its checksum must not depend on how an import compiles.
    await db.schema.createTable('_devlake_ts_blueprints', (t) => {
      t.bigIncrements('id').primary();
      t.string('name', 100).notNullable().unique();
      t.text('spec').notNullable(); // JSON: {project, connections, after, syncPolicy}
      t.string('cron', 100);
      t.boolean('enabled').notNullable().defaultTo(true);
      t.timestamp('created_at', { useTz: true });
      t.timestamp('updated_at', { useTz: true });
    });
    await db.schema.createTable('_devlake_ts_task_logs', (t) => {
      t.bigIncrements('id').primary();
      t.bigInteger('task_id').notNullable().index();
      t.text('line').notNullable();
      t.timestamp('created_at', { useTz: true });
    });
    await db.schema.alterTable('_devlake_ts_pipelines', (t) => {
      t.bigInteger('blueprint_id').index();
    });
  },
};
