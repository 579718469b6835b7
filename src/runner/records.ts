import { FRAMEWORK_TABLES } from '../dal/framework-tables';
import type { Dal } from '../dal/types';

/** The statuses of pipelines, tasks and subtasks, as DevLake names them. */
export type RunStatus = 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED';

/**
 * Writes the `_devlake_ts_pipelines/_tasks/_subtasks` rows of a run. Each write is
 * its own short statement outside the subtasks' transactions, so a failed or
 * cancelled subtask still leaves an accurate record.
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
    await this.db.knex(FRAMEWORK_TABLES.subtasks).where({ task_id: taskId }).delete();
    await this.update('tasks', taskId, { status: 'RUNNING', message: null, error_code: null, progress: 0, began_at: new Date(), finished_at: null });
  }

  async createSubtask(taskId: number, name: string, number: number): Promise<number> {
    return this.insert(FRAMEWORK_TABLES.subtasks, { task_id: taskId, name, number, status: 'CREATED' });
  }

  async update(table: 'pipelines' | 'tasks' | 'subtasks', id: number, patch: Record<string, unknown>): Promise<void> {
    // Dates bind as ISO text on SQLite through the connection itself (dal/connect.ts).
    await this.db.knex(FRAMEWORK_TABLES[table]).where({ id }).update({ ...patch, updated_at: new Date() });
  }

  private async insert(table: string, data: Record<string, unknown>): Promise<number> {
    const now = new Date();
    const [res] = (await this.db.knex(table).insert({ ...data, created_at: now, updated_at: now }).returning('id')) as Array<{ id: number | string } | number>;
    return Number(typeof res === 'object' ? res.id : res);
  }
}
