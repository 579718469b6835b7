import { freshDatabase, TEST_PG_URL, type TestDb } from '../../src/testing/databases';
import { silentLogger } from '../../src/core/logger';
import { TaskConnections } from '../../src/pipeline/task-connections';

describe('TaskConnections (Postgres)', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await freshDatabase(TEST_PG_URL, 'tconn');
  });
  afterAll(async () => db.drop());

  const works = async (dal: { knex: { raw(sql: string): Promise<unknown> } }): Promise<boolean> =>
    dal.knex.raw('select 1').then(
      () => true,
      () => false,
    );

  it('gives the next task the set the last one gave back, opens another for a task running beside it', async () => {
    const connections = new TaskConnections(db.url, { logger: silentLogger });
    try {
      const first = await connections.take();
      const beside = await connections.take();
      expect(beside).not.toBe(first);
      await connections.give(first, true);
      const next = await connections.take();
      expect(next).toBe(first);
      expect(await works(next)).toBe(true);
      await connections.give(next, true);
      await connections.give(beside, true);
    } finally {
      await connections.close();
    }
  });

  it('closes the set of a failed task, and every set once closed', async () => {
    const connections = new TaskConnections(db.url, { logger: silentLogger });
    const failed = await connections.take();
    await connections.give(failed, false);
    expect(await works(failed)).toBe(false);
    const idle = await connections.take();
    expect(idle).not.toBe(failed);
    await connections.give(idle, true);
    const late = await connections.take();
    expect(late).toBe(idle);
    await connections.give(late, true);
    await connections.close();
    expect(await works(idle)).toBe(false);
    // Given back after close (a task that outlived the worker): closed, not kept.
    const other = await new TaskConnections(db.url, { logger: silentLogger }).take();
    await connections.give(other, true);
    expect(await works(other)).toBe(false);
  });
});
