import * as path from 'node:path';
import { databases } from 'devlake-ts/testing';
import type { TestDb } from 'devlake-ts/testing';
import { mapConfig, memoryLogger } from 'devlake-ts';
import type { PipelineEvent } from '../../src/pipeline/engine';
import { inProcessExecutor, preparePlan, runPipeline } from '../../src/pipeline/engine';
import type { PipelineSpec } from '../../src/pipeline/plan';
import { PipelineStore } from '../../src/pipeline/store';

const searchPath = [path.join(__dirname, '..', 'fixtures', 'plugins')];

describe.each(databases())('pipeline engine on $name', (target) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await target.open();
  });
  afterEach(() => db.drop());

  const create = async (spec: PipelineSpec) => {
    await preparePlan(spec, { dal: db.dal, searchPath });
    return new PipelineStore(db.dal).create(spec);
  };
  const run = (pipelineId: number, extra: { signal?: AbortSignal; onlyIncomplete?: boolean; parallel?: number; onEvent?: (e: PipelineEvent) => void } = {}) => {
    const logger = memoryLogger();
    return runPipeline({ dal: db.dal, pipelineId, logger, executor: inProcessExecutor({ dal: db.dal, logger, config: mapConfig({}), searchPath }), cancelPollMs: 50, ...extra });
  };

  it('runs stage after stage, tasks of a stage in parallel, and records each task under the pipeline', async () => {
    const id = await create({
      name: 'two stages',
      plan: [
        [
          { plugin: 'demo', options: { count: 3, delayMs: 30 } },
          { plugin: 'demo', options: { count: 2, delayMs: 30, other: true } },
        ],
        [{ plugin: 'demo', subtasks: ['Count Numbers'], options: { count: 0 } }],
      ],
    });
    const events: PipelineEvent[] = [];
    const summary = await run(id, { parallel: 2, onEvent: (e) => events.push(e) });
    expect(summary.status).toBe('COMPLETED');
    expect(summary.tasks.map((t) => [t.stage, t.status, t.attempts])).toEqual([
      [1, 'COMPLETED', 1],
      [1, 'COMPLETED', 1],
      [2, 'COMPLETED', 1],
    ]);
    // Both stage-1 tasks started before either finished; stage 2 started after both.
    const order = events.filter((e) => e.type === 'task-started' || e.type === 'task-finished').map((e) => `${e.type}:${(e as { stage: number }).stage}`);
    expect(order.slice(0, 2)).toEqual(['task-started:1', 'task-started:1']);
    expect(order.indexOf('task-started:2')).toBeGreaterThan(order.lastIndexOf('task-finished:1'));
    const tasks = await db.dal.knex('_devlake_ts_tasks').where({ pipeline_id: id }).orderBy('id');
    expect(tasks.map((t: { status: string }) => t.status)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED']);
    const subtasks = await db.dal.knex('_devlake_ts_subtasks').whereIn('task_id', tasks.map((t: { id: number }) => t.id));
    expect(subtasks).toHaveLength(5);
    const [p] = await db.dal.knex('_devlake_ts_pipelines').where({ id });
    expect([p.status, !!p.finished_at]).toEqual(['COMPLETED', true]);
  });

  it('stops after a stage with a failed task; rerun runs only the tasks that did not complete', async () => {
    const id = await create({ plan: [[{ plugin: 'demo', options: { count: 2 } }, { plugin: 'demo', options: { count: 3, failAt: 2 } }], [{ plugin: 'demo', options: { count: 1 } }]] });
    const first = await run(id);
    expect(first.status).toBe('FAILED');
    expect(first.tasks.map((t) => t.status)).toEqual(['COMPLETED', 'FAILED', 'CREATED']);
    expect(first.tasks[1].error).toEqual({ code: 'DEVLAKE_E_SUBTASK_FAILED', message: expect.stringContaining('demo failure at 2') });

    // Fix the cause (the failing option) and rerun: the completed task is not run again.
    const store = new PipelineStore(db.dal);
    const failed = first.tasks[1];
    await db.dal.knex('_devlake_ts_tasks').where({ id: failed.id }).update({ options: JSON.stringify({ count: 3 }), status: 'CREATED' });
    const again = await run(id, { onlyIncomplete: true });
    expect(again.status).toBe('COMPLETED');
    expect(again.tasks.map((t) => [t.status, t.attempts])).toEqual([
      ['COMPLETED', 1],
      ['COMPLETED', 2],
      ['COMPLETED', 1],
    ]);
    expect((await store.get(id)).status).toBe('COMPLETED');
  });

  it('skipOnFail runs the other tasks and later stages and ends PARTIAL', async () => {
    const id = await create({ skipOnFail: true, plan: [[{ plugin: 'demo', options: { count: 2, failAt: 1 } }], [{ plugin: 'demo', options: { count: 1 } }]] });
    const summary = await run(id);
    expect(summary.status).toBe('PARTIAL');
    expect(summary.tasks.map((t) => t.status)).toEqual(['FAILED', 'COMPLETED']);
  });

  it('a cancel request from another process cancels running tasks; tasks not started are recorded CANCELLED', async () => {
    const id = await create({ plan: [[{ plugin: 'demo', options: { count: 200, delayMs: 10 } }], [{ plugin: 'demo', options: { count: 1 } }]] });
    const running = run(id);
    await new Promise((r) => setTimeout(r, 300));
    await new PipelineStore(db.dal).requestCancel(id);
    const summary = await running;
    expect(summary.status).toBe('CANCELLED');
    expect(summary.tasks.map((t) => t.status)).toEqual(['CANCELLED', 'CANCELLED']);
    const written = await db.dal.knex('_tool_demo_numbers').count({ c: '*' });
    expect(Number(written[0].c)).toBeLessThan(200);
  });

  it('the caller’s signal (Ctrl-C) cancels the whole pipeline', async () => {
    const id = await create({ plan: [[{ plugin: 'demo', options: { count: 200, delayMs: 10 } }, { plugin: 'demo', options: { count: 200, delayMs: 10, b: 1 } }]] });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const summary = await run(id, { signal: controller.signal });
    expect(summary.status).toBe('CANCELLED');
    expect(summary.tasks.map((t) => t.status)).toEqual(['CANCELLED', 'CANCELLED']);
  });

  it('refuses a plan naming an unknown plugin or subtask before creating anything', async () => {
    await expect(preparePlan({ plan: [[{ plugin: 'nope' }]] }, { dal: db.dal, searchPath })).rejects.toMatchObject({ code: 'DEVLAKE_E_PLUGIN_NOT_FOUND' });
    await expect(preparePlan({ plan: [[{ plugin: 'demo', subtasks: ['Nope'] }]] }, { dal: db.dal, searchPath })).rejects.toMatchObject({ code: 'DEVLAKE_E_SUBTASK_UNKNOWN' });
  });
});
