import * as path from 'node:path';
import { databases } from 'devlake-ts/testing';
import type { Dal } from 'devlake-ts';
import type { TestDb } from 'devlake-ts/testing';
import { hasErrorCode, mapConfig, memoryLogger } from 'devlake-ts';
import { findPlugin, loadPlugin, selectSubtasks } from '../../src/runner/load-plugin';
import { migrateAll } from '../../src/runner/migrate-all';
import { runTask } from '../../src/runner/run-task';

const pluginsDir = path.join(__dirname, '..', 'fixtures', 'plugins');
const { plugin } = loadPlugin(findPlugin('demo', [pluginsDir]));

describe.each(databases())('runTask on $name', (target) => {
  let db: TestDb;
  let dal: Dal;
  beforeEach(async () => {
    db = await target.open();
    dal = db.dal;
    await migrateAll(dal, [{ name: 'demo', plugin }]);
  });
  afterEach(() => db.drop());

  const run = (options: Record<string, unknown>, extra: { subtasks?: string[]; signal?: AbortSignal; syncPolicy?: { fullSync: boolean; timeAfter?: Date } } = {}) => {
    const logger = memoryLogger();
    return runTask({ dal, pluginName: 'demo', plugin, options, logger: logger.child({ plugin: 'demo' }), config: mapConfig({}), ...extra }).then((r) => ({ ...r, lines: logger.lines }));
  };

  it('runs the default subtasks in order, logs DevLake step lines and records COMPLETED rows', async () => {
    const { summary, error, lines } = await run({ count: 4 });
    expect(error).toBeUndefined();
    expect(summary.status).toBe('COMPLETED');
    expect(summary.subtasks.map((s) => [s.name, s.status])).toEqual([
      ['Write Numbers', 'COMPLETED'],
      ['Count Numbers', 'COMPLETED'],
    ]);
    expect(summary.subtasks[0].tables).toEqual({ _tool_demo_numbers: 4 });
    expect(lines).toEqual(
      expect.arrayContaining([
        'INFO [demo] total step: 2',
        'INFO [demo] executing subtask Write Numbers',
        'INFO [demo] finished step: 1 / 2',
        'INFO [demo] [Count Numbers] counted 4 numbers',
        'INFO [demo] finished step: 2 / 2',
      ]),
    );
    const subtasks = await dal.knex('_devlake_ts_subtasks').where({ task_id: summary.taskId }).orderBy('number');
    expect(subtasks.map((s: { status: string; rows_written: number | string }) => [s.status, Number(s.rows_written)])).toEqual([
      ['COMPLETED', 4],
      ['COMPLETED', 0],
    ]);
    const [task] = await dal.knex('_devlake_ts_tasks').where({ id: summary.taskId });
    expect(task.status).toBe('COMPLETED');
    expect(JSON.parse(task.options)).toEqual({ count: 4 });
    const [pipeline] = await dal.knex('_devlake_ts_pipelines').where({ id: summary.pipelineId });
    expect(pipeline.status).toBe('COMPLETED');
    expect(pipeline.finished_at).toBeTruthy();
  });

  it('runs exactly the subtasks asked for, in plugin order', async () => {
    const { summary } = await run({ count: 2 }, { subtasks: ['Optional Step', 'write numbers'] });
    expect(summary.subtasks.map((s) => s.name)).toEqual(['Write Numbers', 'Optional Step']);
  });

  it('ends FAILED with the error in the subtask row; later subtasks stay CREATED (not run)', async () => {
    const { summary, error } = await run({ count: 5, failAt: 3 });
    expect(summary.status).toBe('FAILED');
    expect(hasErrorCode(error, 'DEVLAKE_E_SUBTASK_FAILED')).toBe(true);
    expect(error?.message).toContain('demo failure at 3');
    const rows = await dal.knex('_devlake_ts_subtasks').where({ task_id: summary.taskId }).orderBy('number');
    expect(rows[0].status).toBe('FAILED');
    expect(rows[0].error_code).toBe('DEVLAKE_E_SUBTASK_FAILED');
    expect(rows[0].message).toContain('demo failure at 3');
    expect(rows[1].status).toBe('CREATED');
    expect(rows[1].message).toBe('not run: "Write Numbers" failed');
    expect(summary.subtasks[1].status).toBe('CREATED');
  });

  it('ends CANCELLED when the signal aborts mid-subtask', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const { summary, error } = await run({ count: 1000, delayMs: 5 }, { signal: controller.signal });
    expect(summary.status).toBe('CANCELLED');
    expect(hasErrorCode(error, 'DEVLAKE_E_CANCELLED')).toBe(true);
    const [task] = await dal.knex('_devlake_ts_tasks').where({ id: summary.taskId });
    expect(task.status).toBe('CANCELLED');
    const rows = await dal.knex('_devlake_ts_subtasks').where({ task_id: summary.taskId }).orderBy('number');
    expect(rows.map((r: { status: string }) => r.status)).toEqual(['CANCELLED', 'CANCELLED']);
  });

  it('reports a throw from prepareTaskData as DEVLAKE_E_PLUGIN_FAILED pointing at the plugin code and --verbose', async () => {
    const { summary, error } = await run({ prepareFails: true });
    expect(summary.status).toBe('FAILED');
    expect(error?.code).toBe('DEVLAKE_E_PLUGIN_FAILED');
    expect(error?.message).toContain('demo: cannot read properties of undefined');
    expect(error?.hint).toContain(path.join('demo', 'index.ts'));
    expect(error?.hint).toContain('--verbose');
    expect(error?.hint).not.toContain('--options');
    const [task] = await dal.knex('_devlake_ts_tasks').where({ id: summary.taskId });
    expect([task.status, task.error_code]).toEqual(['FAILED', 'DEVLAKE_E_PLUGIN_FAILED']);
  });

  it('refuses a time-after in the future before writing anything (a full sync would empty the scope)', async () => {
    const err = await run({ count: 3 }, { syncPolicy: { fullSync: true, timeAfter: new Date('2099-01-01T00:00:00Z') } }).catch((e: unknown) => e);
    expect(hasErrorCode(err, 'DEVLAKE_E_USAGE')).toBe(true);
    expect(Number((await dal.knex('_devlake_ts_tasks').count({ n: '*' }))[0].n)).toBe(0);
  });
});

describe('selectSubtasks', () => {
  const metas = plugin.subTaskMetas!();
  it('defaults to the subtasks enabled by default', () => {
    expect(selectSubtasks(metas).map((m) => m.name)).toEqual(['Write Numbers', 'Count Numbers']);
  });
  it('rejects unknown names as a usage error listing the valid ones', () => {
    try {
      selectSubtasks(metas, ['bogus']);
      throw new Error('expected an error');
    } catch (err) {
      expect(hasErrorCode(err, 'DEVLAKE_E_SUBTASK_UNKNOWN')).toBe(true);
      expect((err as { exitCode: number }).exitCode).toBe(2);
      expect((err as { hint: string }).hint).toContain('Write Numbers, Count Numbers, Optional Step');
    }
  });
});
