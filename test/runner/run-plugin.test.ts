import * as path from 'node:path';
import { databases } from 'devlake-ts/testing';
import type { TestDb } from 'devlake-ts/testing';
import type { Plugin, SubTaskMeta } from 'devlake-ts';
import { mapConfig, memoryLogger } from 'devlake-ts';
import { runPlugin } from '../../src/runner/run-plugin';
import { runTask } from '../../src/runner/run-task';
import { migrateAll } from '../../src/runner/migrate-all';

const searchPath = [path.join(__dirname, '..', 'fixtures', 'plugins')];

describe.each(databases())('runPlugin on $name', (target) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await target.open();
  });
  afterEach(() => db.drop());

  it('finds, loads, migrates and runs a plugin on a URL it opens and closes itself', async () => {
    const logger = memoryLogger();
    const { summary, error } = await runPlugin({ name: 'demo', options: { count: 3 }, dbUrl: db.url, searchPath, logger, config: mapConfig({}) });
    expect(error).toBeUndefined();
    expect(summary.status).toBe('COMPLETED');
    expect(summary.rowsWritten).toBe(3);
    expect(logger.lines).toEqual(expect.arrayContaining([expect.stringMatching(/^INFO \[demo\] applied \d+ migration\(s\)$/), 'INFO [demo] finished step: 2 / 2']));
    const rows = await db.dal.knex('_tool_demo_numbers').orderBy('n');
    expect(rows.map((r: { n: number }) => Number(r.n))).toEqual([1, 2, 3]);
  });

  it('runs on an open Dal without closing it, under the task rows a pipeline made', async () => {
    await runPlugin({ name: 'demo', options: { count: 1 }, dal: db.dal, searchPath, logger: memoryLogger(), config: mapConfig({}) });
    const [pipelineId] = (await db.dal.knex('_devlake_ts_pipelines').insert({ name: 'p', status: 'RUNNING' }).returning('id')).map((r: { id: number } | number) => Number(typeof r === 'object' ? r.id : r));
    const [taskId] = (await db.dal.knex('_devlake_ts_tasks').insert({ pipeline_id: pipelineId, plugin: 'demo', status: 'CREATED' }).returning('id')).map((r: { id: number } | number) => Number(typeof r === 'object' ? r.id : r));
    const { summary } = await runPlugin({ name: 'demo', options: { count: 2 }, dal: db.dal, migrate: false, searchPath, logger: memoryLogger(), config: mapConfig({}), records: { pipelineId, taskId } });
    expect([summary.pipelineId, summary.taskId, summary.status]).toEqual([pipelineId, taskId, 'COMPLETED']);
    const [task] = await db.dal.knex('_devlake_ts_tasks').where({ id: taskId });
    expect(task.status).toBe('COMPLETED');
    // The pipeline row is the pipeline's to finish.
    const [pipeline] = await db.dal.knex('_devlake_ts_pipelines').where({ id: pipelineId });
    expect(pipeline.status).toBe('RUNNING');
    const subtasks = await db.dal.knex('_devlake_ts_subtasks').where({ task_id: taskId }).orderBy('number');
    expect(subtasks.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
      ['Write Numbers', 'COMPLETED'],
      ['Count Numbers', 'COMPLETED'],
    ]);
  });

  it('throws usage errors before touching the database', async () => {
    await expect(runPlugin({ name: 'nope', dbUrl: db.url, searchPath, logger: memoryLogger(), config: mapConfig({}) })).rejects.toMatchObject({ code: 'DEVLAKE_E_PLUGIN_NOT_FOUND' });
    await expect(runPlugin({ name: 'demo', subtasks: ['No Such'], dbUrl: db.url, searchPath, logger: memoryLogger(), config: mapConfig({}) })).rejects.toMatchObject({ code: 'DEVLAKE_E_SUBTASK_UNKNOWN' });
    expect(await db.dal.knex.schema.hasTable('_devlake_ts_tasks')).toBe(false);
  });

  it('closes the plugin even when recording a subtask fails', async () => {
    let closed = 0;
    // The records' table goes away while the subtask runs: the update of its row fails, as a lost database would.
    const dropsRecords: SubTaskMeta = {
      name: 'Drop Records',
      enabledByDefault: true,
      description: 'breaks the run records under the runner',
      domainTypes: [],
      entryPoint: async () => {
        await db.dal.knex.schema.renameTable('_devlake_ts_subtasks', '_devlake_ts_subtasks_gone');
      },
    };
    const plugin: Plugin = {
      name: 'breaker',
      description: 'test',
      subTaskMetas: () => [dropsRecords],
      prepareTaskData: () => ({}),
      close: async () => {
        closed++;
      },
    } as Plugin;
    await migrateAll(db.dal, []);
    // The message, not rejects.toThrow: a driver's error class may come from another realm under jest.
    const failure = await runTask({ dal: db.dal, pluginName: 'breaker', plugin, options: {}, logger: memoryLogger(), config: mapConfig({}) }).then(
      () => 'no error',
      (err: unknown) => String((err as Error)?.message ?? err),
    );
    expect(failure).toMatch(/_devlake_ts_subtasks/);
    expect(closed).toBe(1);
  });
});
