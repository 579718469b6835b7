import type { Dal } from '../core/dal';
import { DevlakeError } from '../core/errors';
import { FRAMEWORK_TABLES } from '../dal/framework-tables';
import type { PipelineSpec, PipelinePlan } from './plan';
import { bookkeepingWrite } from '../dal/bookkeeping-write';

/** A pipeline's status: a task's, plus PARTIAL (some tasks failed under skipOnFail), as DevLake's TASK_PARTIAL. */
export type PipelineStatus = 'CREATED' | 'RUNNING' | 'COMPLETED' | 'PARTIAL' | 'FAILED' | 'CANCELLED';

/** One task row of a pipeline. */
export interface PipelineTaskRecord {
  id: number;
  plugin: string;
  options: Record<string, unknown>;
  subtasks?: string[];
  /** 1-based stage and position in it. */
  row: number;
  col: number;
  status: string;
  message: string | null;
  errorCode: string | null;
  attempts: number;
  beganAt: Date | null;
  finishedAt: Date | null;
}

/** A pipeline row with its settings and tasks, stage by stage. */
export interface PipelineRecord {
  id: number;
  name: string;
  status: PipelineStatus;
  message: string | null;
  skipOnFail: boolean;
  fullSync: boolean;
  timeAfter?: Date;
  blueprint: string | null;
  queue: string | null;
  cancelRequested: boolean;
  beganAt: Date | null;
  finishedAt: Date | null;
  tasks: PipelineTaskRecord[];
}

const T = FRAMEWORK_TABLES;
const asDate = (v: unknown): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v)));
const asBool = (v: unknown): boolean => v === true || v === 1 || v === '1' || v === 't';

/**
 * Pipeline and task rows of plans in the framework tables. Every method is one
 * or a few short statements, so any process sharing the database (CLI,
 * workers, server) sees the same state.
 */
export class PipelineStore {
  readonly #dal: Dal;
  constructor(dal: Dal) {
    this.#dal = dal;
  }

  /** Creates the pipeline row (CREATED) and one CREATED task row per task of the plan; returns the pipeline id. */
  async create(spec: PipelineSpec, opts: { queue?: string } = {}): Promise<number> {
    const knex = this.#dal.knex;
    const now = new Date();
    return knex.transaction(async (trx) => {
      const [res] = (await trx(T.pipelines)
        .insert({
          name: spec.name ?? `pipeline ${now.toISOString()}`,
          status: 'CREATED',
          plan: JSON.stringify(spec.plan),
          skip_on_fail: !!spec.skipOnFail,
          full_sync: !!spec.fullSync,
          time_after: spec.timeAfter ?? null,
          blueprint: spec.blueprint ?? null,
          queue: opts.queue ?? null,
          cancel_requested: false,
          created_at: now,
          updated_at: now,
        })
        .returning('id')) as Array<{ id: number | string } | number>;
      const id = Number(typeof res === 'object' ? res.id : res);
      const rows = spec.plan.flatMap((stage, s) =>
        stage.map((task, t) => ({
          pipeline_id: id,
          plugin: task.plugin,
          options: JSON.stringify(task.options ?? {}),
          subtasks: task.subtasks?.length ? JSON.stringify(task.subtasks) : null,
          status: 'CREATED',
          progress: 0,
          attempts: 0,
          pipeline_row: s + 1,
          pipeline_col: t + 1,
          created_at: now,
          updated_at: now,
        })),
      );
      for (let i = 0; i < rows.length; i += 100) await trx(T.tasks).insert(rows.slice(i, i + 100));
      return id;
    });
  }

  /** The pipeline and its tasks; DEVLAKE_E_PIPELINE_NOT_FOUND when there is none with this id. */
  async get(id: number): Promise<PipelineRecord> {
    const knex = this.#dal.knex;
    // A database no pipeline ever ran on has no pipeline table yet: the same answer, not a SQL error.
    const [p] = (await this.#dal.hasTable(T.pipelines)) ? ((await knex(T.pipelines).where({ id })) as Array<Record<string, unknown>>) : [];
    if (!p) {
      throw new DevlakeError('DEVLAKE_E_PIPELINE_NOT_FOUND', `No pipeline with id ${id}`, { hint: 'Check the id (printed by `devlake pipeline run`) and the database (--db / DB_URL).' });
    }
    const tasks = (await knex(T.tasks).where({ pipeline_id: id }).orderBy([{ column: 'pipeline_row' }, { column: 'pipeline_col' }, { column: 'id' }])) as Array<Record<string, unknown>>;
    return {
      id: Number(p.id),
      name: String(p.name ?? ''),
      status: String(p.status) as PipelineStatus,
      message: (p.message as string | null) ?? null,
      skipOnFail: asBool(p.skip_on_fail),
      fullSync: asBool(p.full_sync),
      ...(p.time_after ? { timeAfter: asDate(p.time_after)! } : {}),
      blueprint: (p.blueprint as string | null) ?? null,
      queue: (p.queue as string | null) ?? null,
      cancelRequested: asBool(p.cancel_requested),
      beganAt: asDate(p.began_at),
      finishedAt: asDate(p.finished_at),
      tasks: tasks.map((t) => ({
        id: Number(t.id),
        plugin: String(t.plugin),
        options: t.options ? (JSON.parse(String(t.options)) as Record<string, unknown>) : {},
        ...(t.subtasks ? { subtasks: JSON.parse(String(t.subtasks)) as string[] } : {}),
        row: Number(t.pipeline_row ?? 1),
        col: Number(t.pipeline_col ?? 1),
        status: String(t.status),
        message: (t.message as string | null) ?? null,
        errorCode: (t.error_code as string | null) ?? null,
        attempts: Number(t.attempts ?? 0),
        beganAt: asDate(t.began_at),
        finishedAt: asDate(t.finished_at),
      })),
    };
  }

  /** The plan the pipeline was created with. */
  async plan(id: number): Promise<PipelinePlan> {
    const [p] = (await this.#dal.knex(T.pipelines).where({ id }).select('plan')) as Array<{ plan: string | null }>;
    return p?.plan ? (JSON.parse(p.plan) as PipelinePlan) : [];
  }

  async setPipeline(id: number, patch: Record<string, unknown>): Promise<void> {
    await this.#dal.knex(T.pipelines).where({ id }).update({ ...patch, updated_at: new Date() });
  }

  async setTask(id: number, patch: Record<string, unknown>): Promise<void> {
    await this.#dal.knex(T.tasks).where({ id }).update({ ...patch, updated_at: new Date() });
  }

  /** Counts one more attempt at a task (a worker picking it up again after another died). */
  async addAttempt(taskId: number): Promise<void> {
    await bookkeepingWrite(this.#dal, (knex) => knex(T.tasks).where({ id: taskId }).increment('attempts', 1));
  }

  /** Asks every process running the pipeline's tasks to cancel them (they poll it). */
  async requestCancel(id: number): Promise<void> {
    await this.get(id); // not found → clear error
    await this.setPipeline(id, { cancel_requested: true });
  }

  async cancelRequested(id: number): Promise<boolean> {
    const [p] = (await this.#dal.knex(T.pipelines).where({ id }).select('cancel_requested')) as Array<{ cancel_requested: unknown }>;
    return asBool(p?.cancel_requested);
  }
}
