import { hasErrorCode, memoryLogger, type Logger } from 'devlake-ts';
import { databases, type TestDb } from 'devlake-ts/testing';
import { frameworkMigrations } from '../../src/dal/framework-migrations';
import { migrate } from '../../src/dal/migrator';
import { createApiClient, type ApiClient } from '../../src/helpers/api-client';
import { ApiCollector, type ApiCollectorArgs } from '../../src/helpers/api-collector';
import { createSubTaskContext, type SubTaskProgress } from '../../src/runner/context';
import { startServer, testTaskContext, type Reply, type SeenRequest, type TestServer } from '../helpers/api-test-server';
import { addFigures } from './support/figures';

/**
 * An API whose pagination goes in a loop (a cursor that comes back, a page
 * parameter it ignores, a next link pointing back) must not fill the raw
 * table with duplicates: the collection fails with DEVLAKE_E_API_PAGINATION
 * and publishes nothing, or (onRepeatedPage: 'stop') ends the series with a
 * warning. Resumed collections count pages on from where they stopped, and
 * the summary line reports the rows really in the table.
 */

const RAW = '_raw_loop_items';
const PARAMS = { ConnectionId: 1, Name: 'loop' };
const item = (id: number) => ({ id, title: `item ${id}` });

describe.each(databases())('pagination loops on $name', ({ open }) => {
  let db: TestDb;
  let server: TestServer;
  const clients: ApiClient[] = [];
  beforeEach(async () => {
    db = await open();
    await migrate(db.dal, [{ owner: 'framework', scripts: frameworkMigrations }]);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.close();
    await server?.close();
    await db.drop();
  });

  function collector(args: Partial<ApiCollectorArgs<typeof PARAMS, unknown>>, logger: Logger = memoryLogger()) {
    const task = testTaskContext({ pluginName: 'loop', db: db.dal, logger });
    const updates: SubTaskProgress[] = [];
    const { ctx } = createSubTaskContext(task, 'Collect Items', {}, { onProgress: (p) => updates.push({ ...p }) });
    const apiClient = createApiClient(task, { endpoint: server.url, retry: 0 });
    clients.push(apiClient);
    return { c: new ApiCollector({ ctx, apiClient, rawTable: RAW, params: PARAMS, urlTemplate: 'items', ...args }), updates };
  }
  const rawCount = async () => Number(((await db.dal.knex(RAW).count({ n: '*' })) as Array<{ n: number | string }>)[0].n);
  const serve = async (route: (req: SeenRequest, url: URL) => Reply) => {
    server = await startServer((req) => route(req, new URL(req.url, 'http://x')), 50);
  };

  it('a cursor that comes back (next_cursor: "same") fails with DEVLAKE_E_API_PAGINATION; nothing is published', async () => {
    // Page 1 and the "same" page hold the same records: the API ignores the cursor.
    await serve(() => ({ body: { items: [item(1), item(2)], next_cursor: 'same' } }));
    const { c } = collector({ pagination: 'cursor', getNextCursor: (r) => r.json<{ next_cursor: string }>().next_cursor, responseParser: (r) => r.json<{ items: unknown[] }>().items });
    const err = await c.execute().catch((e: unknown) => e);
    expect(hasErrorCode(err, 'DEVLAKE_E_API_PAGINATION')).toBe(true);
    expect((err as Error).message).toContain('page 2 starts with the same record as page 1');
    expect((err as Error).message).toContain('/items?cursor=same');
    expect(await db.dal.hasTable(RAW) ? await rawCount() : 0).toBe(0);
    expect(server.requests.length).toBe(2);
    addFigures('pagination', { loops_refused: 1 });
  });

  it('a cursor that comes back after new pages fails too (the cursor, not the records, repeats)', async () => {
    await serve((_req, url) => {
      const cursor = url.searchParams.get('cursor');
      const page = cursor === null ? 1 : cursor === 'b' ? 2 : 3;
      return { body: { items: [item(page * 10)], next_cursor: page === 1 ? 'b' : 'c', ...(page === 3 ? { next_cursor: 'b' } : {}) } };
    });
    const { c } = collector({ pagination: 'cursor', getNextCursor: (r) => r.json<{ next_cursor: string }>().next_cursor, responseParser: (r) => r.json<{ items: unknown[] }>().items });
    const err = await c.execute().catch((e: unknown) => e);
    expect(hasErrorCode(err, 'DEVLAKE_E_API_PAGINATION')).toBe(true);
    expect((err as Error).message).toContain('the cursor "b" came back again');
    expect(await rawCount()).toBe(0);
  });

  it("onRepeatedPage: 'stop' ends the series with a warning and stores each record once", async () => {
    await serve(() => ({ body: { items: [item(1), item(2)], next_cursor: 'same' } }));
    const logger = memoryLogger();
    const { c } = collector(
      { pagination: 'cursor', onRepeatedPage: 'stop', getNextCursor: (r) => r.json<{ next_cursor: string }>().next_cursor, responseParser: (r) => r.json<{ items: unknown[] }>().items },
      logger,
    );
    await c.execute();
    const rows = (await db.dal.knex(RAW).select('data').orderBy('id')) as Array<{ data: string }>;
    expect(rows.map((r) => (JSON.parse(r.data) as { id: number }).id)).toEqual([1, 2]);
    expect(logger.lines.filter((l) => l.startsWith('WARN'))).toEqual([
      expect.stringContaining("page 2 starts with the same record as page 1 at http://127.0.0.1:"),
    ]);
  });

  it('an API that ignores the page parameter (full pages forever) fails at page 2 instead of looping', async () => {
    await serve(() => ({ body: [item(1), item(2)] }));
    const { c } = collector({ pagination: 'page', pageSize: 2 });
    const err = await c.execute().catch((e: unknown) => e);
    expect(hasErrorCode(err, 'DEVLAKE_E_API_PAGINATION')).toBe(true);
    expect(server.requests.map((r) => r.url)).toEqual(['/items?page=1&per_page=2', '/items?page=2&per_page=2']);
    expect(await rawCount()).toBe(0);
  });

  it('a Link next URL that points back at an earlier page fails', async () => {
    await serve((_req, url) => {
      const page = Number(url.searchParams.get('page') ?? 1);
      return { body: [item(page)], headers: { link: `<${server.url}items?page=${page === 2 ? 1 : 2}>; rel="next"` } };
    });
    const { c } = collector({ pagination: 'link' });
    const err = await c.execute().catch((e: unknown) => e);
    expect(hasErrorCode(err, 'DEVLAKE_E_API_PAGINATION')).toBe(true);
    expect((err as Error).message).toContain('the next-page link points back at a page already fetched');
  });

  it('a resumed collection counts pages on ("resuming at page 4") and the summary gives the rows in the table', async () => {
    let failAt: number | undefined = 4;
    await serve((_req, url) => {
      const page = Number(url.searchParams.get('page'));
      if (page === failAt) return { status: 404, body: { message: 'gone for now' } };
      return { body: page <= 5 ? [item(page * 2 - 1), item(page * 2)] : [] };
    });
    const first = collector({ pagination: 'page', pageSize: 2 });
    expect(hasErrorCode(await first.c.execute().catch((e: unknown) => e), 'DEVLAKE_E_API_NOT_FOUND')).toBe(true);
    expect(first.updates.map((u) => `${u.current} ${u.unit}`)).toEqual(['0 pages', '1 pages', '2 pages', '3 pages']);

    failAt = undefined;
    const logger = memoryLogger();
    const second = collector({ pagination: 'page', pageSize: 2 }, logger);
    const result = await second.c.execute();
    // Pages 1-3 were staged by the first run: counting goes on at 3, not 0.
    expect(second.updates.map((u) => u.current)).toEqual([3, 4, 5, 6]);
    expect(logger.lines).toContainEqual(expect.stringContaining(`collecting ${RAW} (full), resuming at page 4`));
    expect(result).toMatchObject({ resumed: true, pages: 3, records: 4, rowsPublished: 10, rowsInTable: 10 });
    expect(await rawCount()).toBe(10);
    expect(logger.lines).toContainEqual(expect.stringContaining(`collected 4 records in 3 pages (this run, after resuming); 10 rows published; 10 rows of this scope now in ${RAW}`));
  });
});
