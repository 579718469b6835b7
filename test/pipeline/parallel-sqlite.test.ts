import { freshDatabase } from 'devlake-ts/testing';
import { mapConfig, memoryLogger } from 'devlake-ts';
import { inProcessExecutor, preparePlan, runPipeline } from '../../src/pipeline/engine';
import { PipelineStore } from '../../src/pipeline/store';
import { FAULT_PLUGINS, flakyEnv } from '../faults/support/flaky-plugin';
import { startFlakyServer, type FlakyServer } from '../faults/support/flaky-server';

/**
 * `devlake pipeline run` on the default database: four tasks of a stage at once (the default --parallel), each on its
 * own connection to one SQLite file, collecting, extracting and converting. They take turns at SQLite's one writer;
 * none may fail with "database is locked".
 */
jest.setTimeout(180_000);

describe('parallel pipeline tasks on one SQLite file', () => {
  let server: FlakyServer;
  beforeAll(async () => {
    server = await startFlakyServer({ pages: 30, pageSize: 50, maxRequests: 5_000, onRequest: () => new Promise((r) => setTimeout(r, 5)) });
  });
  afterAll(() => server.close());

  it('completes every task of a 4-wide stage', async () => {
    const db = await freshDatabase('sqlite::memory:');
    try {
      const spec = { name: 'four', plan: [Array.from({ length: 4 }, (_, i) => ({ plugin: 'flaky', options: { scope: `s${i}`, connectionId: i + 1, pageSize: 50 } }))] };
      await preparePlan(spec, { dal: db.dal, searchPath: [FAULT_PLUGINS] });
      const id = await new PipelineStore(db.dal).create(spec);
      const logger = memoryLogger();
      const config = mapConfig(flakyEnv(server.url, { FLAKY_API_TIMEOUT: '10s' }));
      const summary = await runPipeline({ dal: db.dal, pipelineId: id, parallel: 4, logger, executor: inProcessExecutor({ dal: db.dal, dbUrl: db.url, logger, config, searchPath: [FAULT_PLUGINS] }) });
      expect(summary.tasks.map((t) => [t.status, t.error?.message ?? ''])).toEqual(Array.from({ length: 4 }, () => ['COMPLETED', '']));
      expect(Number((await db.dal.knex('_tool_flaky_items').count({ n: '*' }))[0]!.n)).toBe(4 * 30 * 50);
    } finally {
      await db.drop();
    }
  });
});
