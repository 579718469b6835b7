import type { Knex } from 'knex';
import type { MigrationScript } from './types';

/**
 * Pipelines of several tasks (plans, blueprints, queue workers): the plan and
 * its settings on the pipeline row, the stage/position of each task row, and
 * a cancel request any process (a second CLI, a worker, the server) can set.
 */
export const pipelineColumnsMigration: MigrationScript = {
  version: 20261203000201,
  name: 'add_pipeline_plan_columns',
  async up(db: Knex) {
    // Literal names: an applied migration is frozen, and its checksum must not depend on how an import compiles.
    await db.schema.alterTable('_devlake_ts_pipelines', (t) => {
      t.text('plan'); // the plan as JSON (stages of {plugin, subtasks, options})
      t.boolean('skip_on_fail').notNullable().defaultTo(false);
      t.boolean('full_sync').notNullable().defaultTo(false);
      t.timestamp('time_after', { useTz: true });
      t.string('blueprint', 255);
      t.string('queue', 255); // the queue name when run on workers, else null (in process)
      t.boolean('cancel_requested').notNullable().defaultTo(false);
    });
    await db.schema.alterTable('_devlake_ts_tasks', (t) => {
      t.integer('pipeline_row'); // 1-based stage
      t.integer('pipeline_col'); // 1-based position in the stage
      t.text('subtasks'); // JSON array of names, or null for those enabled by default
      t.integer('attempts').notNullable().defaultTo(0);
    });
  },
};
