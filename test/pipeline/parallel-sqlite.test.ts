import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
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
    server = await startFlakyServer({ pages: 100, pageSize: 50, maxRequests: 20_000, onRequest: () => new Promise((r) => setTimeout(r, 5)) });
  });
  afterAll(() => server.close());

  /** Four tasks of one stage at once on `dbUrl`, each collecting the server's 100 pages of 50 items, extracting and converting them. */
  async function fourWide(dbUrl: string): Promise<void> {
    const pages = 100;
    const db = await freshDatabase(dbUrl);
    try {
      const spec = { name: 'four', plan: [Array.from({ length: 4 }, (_, i) => ({ plugin: 'flaky', options: { scope: `s${i}`, connectionId: i + 1, pageSize: 50 } }))] };
      await preparePlan(spec, { dal: db.dal, searchPath: [FAULT_PLUGINS] });
      const id = await new PipelineStore(db.dal).create(spec);
      const logger = memoryLogger();
      const config = mapConfig(flakyEnv(server.url, { FLAKY_API_TIMEOUT: '10s' }));
      const summary = await runPipeline({ dal: db.dal, pipelineId: id, parallel: 4, logger, executor: inProcessExecutor({ dal: db.dal, dbUrl: db.url, logger, config, searchPath: [FAULT_PLUGINS] }) });
      expect(summary.tasks.map((t) => [t.status, t.error?.message ?? ''])).toEqual(Array.from({ length: 4 }, () => ['COMPLETED', '']));
      expect(Number((await db.dal.knex('_tool_flaky_items').count({ n: '*' }))[0]!.n)).toBe(4 * pages * 50);
    } finally {
      await db.drop();
    }
  }

  it('completes every task of a 4-wide stage', async () => {
    await fourWide('sqlite::memory:');
  });

  // On a file, where a second connection could write (a writer thread did once, and the other tasks then failed
  // with "database is locked"): 5,000 rows a task, more than any batching threshold.
  it('completes every task of a 4-wide stage on a database file, with extractions of thousands of rows', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-parallel-'));
    try {
      await fourWide(`sqlite:${path.join(dir, 'devlake.db')}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
