import { bookkeepingWrite } from '../dal/bookkeeping-write';
import { FRAMEWORK_TABLES } from '../dal/framework-tables';
import type { Knex } from 'knex';
import type { Dal } from '../dal/types';

/** The statuses of pipelines, tasks and subtasks, as DevLake names them. */
export type RunStatus = 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED';

/**
 * Writes the `_devlake_ts_pipelines/_tasks/_subtasks` rows of a run. Each write is
 * its own short statement outside the subtasks' transactions, so a failed or
 * cancelled subtask still leaves an accurate record. Subtask rows and progress
 * are bookkeeping writes (no wait for the disk where that is per transaction);
 * a pipeline's or task's end is durable, and makes every write before it so.
 */
export class RunRecorder {
  constructor(private readonly db: Dal) {}

  async createPipeline(name: string): Promise<number> {
    return this.insert(FRAMEWORK_TABLES.pipelines, { name, status: 'RUNNING', began_at: new Date() });
  }

  async createTask(pipelineId: number, plugin: string, options: unknown): Promise<number> {
    return this.insert(FRAMEWORK_TABLES.tasks, { pipeline_id: pipelineId, plugin, options: JSON.stringify(options ?? {}), status: 'RUNNING', progress: 0, began_at: new Date() });
  }

  /** A pipeline's task starting (again): RUNNING from now, an earlier attempt's subtask rows dropped. */
  async restartTask(taskId: number): Promise<void> {
    await bookkeepingWrite(this.db, (knex) => knex(FRAMEWORK_TABLES.subtasks).where({ task_id: taskId }).delete());
    await this.update('tasks', taskId, { status: 'RUNNING', message: null, error_code: null, progress: 0, began_at: new Date(), finished_at: null });
  }

  async createSubtask(taskId: number, name: string, number: number): Promise<number> {
    return this.insert(FRAMEWORK_TABLES.subtasks, { task_id: taskId, name, number, status: 'CREATED' }, true);
  }

  async update(table: 'pipelines' | 'tasks' | 'subtasks', id: number, patch: Record<string, unknown>): Promise<void> {
    // Dates bind as ISO text on SQLite through the connection itself (dal/connect.ts).
    const write = (knex: Knex): Promise<unknown> => knex(FRAMEWORK_TABLES[table]).where({ id }).update({ ...patch, updated_at: new Date() });
    await (table === 'subtasks' || !patch.finished_at ? bookkeepingWrite(this.db, write) : write(this.db.knex));
  }

  private async insert(table: string, data: Record<string, unknown>, bookkeeping = false): Promise<number> {
    const now = new Date();
    const write = (knex: Knex): Promise<unknown> => knex(table).insert({ ...data, created_at: now, updated_at: now }).returning('id');
    const [res] = (await (bookkeeping ? bookkeepingWrite(this.db, write) : write(this.db.knex))) as Array<{ id: number | string } | number>;
    return Number(typeof res === 'object' ? res.id : res);
  }
}
