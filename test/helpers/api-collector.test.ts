import type { SyncPolicy } from '../../src/core/context';
import { DevlakeError, hasErrorCode } from '../../src/core/errors';
import { clearSecrets, registerSecret } from '../../src/core/redact';
import { frameworkMigrations } from '../../src/dal/framework-migrations';
import { migrate } from '../../src/dal/migrator';
import type { RawRow } from '../../src/dal/raw-table';
import { createApiClient, type ApiClient } from '../../src/helpers/api-client';
import { ApiCollector, type ApiCollectorArgs } from '../../src/helpers/api-collector';
import { getCollectorState } from '../../src/helpers/collector-state';
import { ensureRawTable } from '../../src/dal/raw-table';
import { ensureStagingTable, RAW_STAGING_TABLE } from '../../src/helpers/raw-staging';
import { createSubTaskContext } from '../../src/runner/context';
import { databases, type TestDb } from '../../src/testing/databases';
import { FakeTracker, type FakeIssue } from './api-fake-tracker';
import { startServer, testTaskContext, type TestServer } from './api-test-server';

const RAW = '_raw_tracker_issues';
const PARAMS = { ConnectionId: 1, Name: 'org/repo' };

describe.each(databases())('ApiCollector on $name', ({ open }) => {
  let db: TestDb;
  let server: TestServer;
  let api: FakeTracker;
  const clients: ApiClient[] = [];

  beforeEach(async () => {
    db = await open();
    await migrate(db.dal, [{ owner: 'framework', scripts: frameworkMigrations }]);
    api = new FakeTracker(25);
    server = await startServer(api.route, 400);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.close();
    await server.close();
    await db.drop();
    clearSecrets();
  });

  /** A collector over the fake API with a fresh subtask context. */
  function collector(args: Partial<ApiCollectorArgs<typeof PARAMS, unknown>>, run: { signal?: AbortSignal; syncPolicy?: SyncPolicy } = {}) {
    const task = testTaskContext({ pluginName: 'tracker', db: db.dal, signal: run.signal, syncPolicy: run.syncPolicy });
    const { ctx, progress } = createSubTaskContext(task, 'Collect Issues', {});
    const apiClient = createApiClient(task, { endpoint: server.url, retryBaseDelayMs: 1, maxRetryDelayMs: 20 });
    clients.push(apiClient);
    const c = new ApiCollector({ ctx, apiClient, rawTable: RAW, params: PARAMS, urlTemplate: 'page', ...args });
    return { c, progress };
  }

  const rawRows = async (): Promise<RawRow[]> => db.dal.knex(RAW).select('*').orderBy('id');
  const ids = (rows: RawRow[]): number[] => rows.map((r) => (JSON.parse(r.data) as FakeIssue).id);
  const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);
  const paths = (): string[] => server.requests.map((r) => r.url);
  /** Records in staging rows: a staged page holds `records` of them, a single-record row one. */
  const stagedRecords = (rows: Array<{ records?: number | null }>): number => rows.reduce((n, r) => n + (r.records ?? 1), 0);

  it('page: pages until a short page, one raw row per record with DevLake columns', async () => {
    const { c, progress } = collector({ pagination: 'page', pageSize: 10 });
    const result = await c.execute();
    expect(paths()).toEqual(['/page?page=1&per_page=10', '/page?page=2&per_page=10', '/page?page=3&per_page=10']);
    const rows = await rawRows();
    expect(ids(rows)).toEqual(range(25));
    expect(rows[0].params).toBe(JSON.stringify(PARAMS));
    expect(rows[0].url).toBe(`${server.url}page?page=1&per_page=10`);
    expect(rows[0].input).toBeNull();
    expect(rows[0].created_at).toBeTruthy();
    expect(result).toMatchObject({ mode: 'full', resumed: false, pages: 3, records: 25, rowsPublished: 25 });
    expect(progress.current).toBe(3);
    expect(progress.rowsWritten.get(RAW)).toBe(25);
    expect(await db.dal.knex(RAW_STAGING_TABLE).count({ n: '*' }).then((r) => Number(r[0].n))).toBe(0);
  });

  it('stores each record with its own JSON text, objects, arrays and scalars alike, in page order', async () => {
    const pages: unknown[][] = [[{ id: 1, s: 'é\n"' }, [1, 2], { id: 2 }, { id: 3 }], ['text', 3, null, { id: 4 }]];
    let n = 0;
    const result = await collector({ pagination: 'page', pageSize: 4, responseParser: () => pages[n++] ?? [] }).c.execute();
    const rows = await rawRows();
    expect(rows.map((r) => r.data)).toEqual(pages.flat().map((r) => JSON.stringify(r)));
    expect(rows.map((r) => r.url)).toEqual([1, 1, 1, 1, 2, 2, 2, 2].map((p) => `${server.url}page?page=${p}&per_page=4`));
    expect(result).toMatchObject({ records: 8, rowsPublished: 8 });
  });

  it("keeps the response's own text of each record when the body is the records array (big integers, number forms)", async () => {
    const body = '[ {"id": 12345678901234567890, "v": 1.50, "s": "\\u00e9"},\n  {"id": 2, "tags": ["a"]} ]';
    const own = await startServer(() => ({ body }), 5);
    try {
      const task = testTaskContext({ pluginName: 'tracker', db: db.dal });
      const { ctx } = createSubTaskContext(task, 'Collect Issues', {});
      const apiClient = createApiClient(task, { endpoint: own.url });
      clients.push(apiClient);
      const result = await new ApiCollector({ ctx, apiClient, rawTable: RAW, params: PARAMS, urlTemplate: 'x', pagination: 'none' }).execute();
      expect(result).toMatchObject({ records: 2, rowsPublished: 2 });
      const rows = await rawRows();
      // JSON.stringify(JSON.parse(…)) would have written 12345678901234567000 and 1.5.
      expect(rows[0].data).toMatch(/"id": ?12345678901234567890, ?"v": ?1\.50, ?"s": ?"\\u00e9"/);
      expect(rows.map((r) => JSON.parse(r.data))).toEqual([{ id: JSON.parse('12345678901234567890') as number, v: 1.5, s: 'é' }, { id: 2, tags: ['a'] }]);
    } finally {
      await own.close();
    }
  });

  it("stores a body's bytes as its text: multi-byte UTF-8 kept, an invalid byte replaced (as the body decodes), on every database", async () => {
    const valid = Buffer.from('[{"id": 1, "s": "é 日本 🚀"}, {"id": 2, "s": "\\u0000 ok"}]', 'utf8');
    // 0xff is never valid UTF-8: the body's text holds U+FFFD there, and that text is what is stored.
    const invalid = Buffer.concat([Buffer.from('[{"id": 3, "s": "a'), Buffer.from([0xff]), Buffer.from('b"}]')]);
    let n = 0;
    const own = await startServer(() => ({ body: n++ === 0 ? valid : invalid }), 5);
    try {
      const task = testTaskContext({ pluginName: 'tracker', db: db.dal });
      const { ctx } = createSubTaskContext(task, 'Collect Issues', {});
      const apiClient = createApiClient(task, { endpoint: own.url });
      clients.push(apiClient);
      const args = { ctx, apiClient, rawTable: RAW, urlTemplate: 'x', pagination: 'none' as const };
      await new ApiCollector({ ...args, params: PARAMS }).execute();
      await new ApiCollector({ ...args, params: { ...PARAMS, Name: 'other' } }).execute();
      const rows = await rawRows();
      // White space between tokens is the database's (SQLite's json_each minifies); the characters are the body's.
      expect(rows.map((r) => r.data.replace(/": /g, '":').replace(/, "/g, ',"'))).toEqual(['{"id":1,"s":"é 日本 🚀"}', '{"id":2,"s":"\\u0000 ok"}', '{"id":3,"s":"a\ufffdb"}']);
    } finally {
      await own.close();
    }
  });

  it('page: stops on an empty page when the last page is full', async () => {
    api.issues = api.issues.slice(0, 20);
    await collector({ pagination: 'page', pageSize: 10 }).c.execute();
    expect(server.requests).toHaveLength(3);
    expect(ids(await rawRows())).toEqual(range(20));
  });

  it('totalPages: reads the count from the first page and fetches the rest concurrently', async () => {
    const { c, progress } = collector({
      urlTemplate: 'total',
      pagination: 'totalPages',
      pageSize: 5,
      concurrency: 3,
      getTotalPages: (res) => Number(res.headers['x-total-pages']),
    });
    await c.execute();
    expect(server.requests).toHaveLength(5);
    expect(server.requests[0].url).toBe('/total?page=1&per_page=5');
    expect(new Set(paths()).size).toBe(5);
    expect(ids(await rawRows()).sort((a, b) => a - b)).toEqual(range(25));
    expect(progress).toMatchObject({ current: 5, total: 5 });
  });

  it('offset: offset/limit until a short page, records picked by responseParser', async () => {
    await collector({ urlTemplate: 'offset', pagination: 'offset', pageSize: 10, responseParser: (res) => res.json<{ data: unknown[] }>().data }).c.execute();
    expect(paths()).toEqual(['/offset?offset=0&limit=10', '/offset?offset=10&limit=10', '/offset?offset=20&limit=10']);
    expect(ids(await rawRows())).toEqual(range(25));
  });

  it('cursor: follows the next token until there is none', async () => {
    await collector({
      urlTemplate: 'cursor',
      pagination: 'cursor',
      pageSize: 10,
      query: (pager) => ({ per_page: pager.size, cursor: pager.cursor }),
      getNextCursor: (res) => res.json<{ next: string | null }>().next,
      responseParser: (res) => res.json<{ items: unknown[] }>().items,
    }).c.execute();
    expect(paths()).toEqual(['/cursor?per_page=10', '/cursor?per_page=10&cursor=10', '/cursor?per_page=10&cursor=20']);
    expect(ids(await rawRows())).toEqual(range(25));
  });

  it('link: follows Link rel="next" headers', async () => {
    await collector({ urlTemplate: 'link', pagination: 'link', pageSize: 10 }).c.execute();
    expect(paths()).toEqual(['/link?per_page=10', '/link?page=2&per_page=10', '/link?page=3&per_page=10']);
    const rows = await rawRows();
    expect(ids(rows)).toEqual(range(25));
    expect(rows[24].url).toBe(`${server.url}link?page=3&per_page=10`);
  });

  it('link: a next URL holding a secret is never stored; a resumed run fetches that unit again, without duplicates', async () => {
    const secret = 'tok-in-link-0123456789';
    registerSecret(secret);
    const ac = new AbortController();
    // Three inputs, three link pages of two records each; the next links echo the token, as some APIs do.
    api.override = (_req, url) => {
      const m = /^\/linked\/(\d+)$/.exec(url.pathname);
      if (!m) return undefined;
      const id = Number(m[1]);
      const page = Number(url.searchParams.get('page') ?? 1);
      if (id === 2 && page === 3 && !ac.signal.aborted) {
        ac.abort();
        return { hang: true };
      }
      const headers: Record<string, string> = page < 3 ? { link: `</linked/${id}?page=${page + 1}&access_token=${secret}>; rel="next"` } : {};
      return { body: [1, 2].map((k) => ({ id: id * 100 + page * 10 + k })), headers };
    };
    const inputs = async function* (): AsyncIterable<{ id: number }> {
      for (const id of [1, 2, 3]) yield { id };
    };
    const args = { urlTemplate: 'linked/{{input.id}}', pagination: 'link' as const, concurrency: 1 };
    const cancelled = await collector({ ...args, input: inputs() }, { signal: ac.signal }).c.execute().catch((e: unknown) => e);
    expect(hasErrorCode(cancelled, 'DEVLAKE_E_CANCELLED')).toBe(true);
    const state = await db.dal.knex('_devlake_ts_collector_latest_state').select('*');
    const staged = await db.dal.knex(RAW_STAGING_TABLE).select('*');
    expect(stagedRecords(staged)).toBe(10); // input 1: 3 pages, input 2: 2 pages, 2 records each
    for (const text of [JSON.stringify(state), JSON.stringify(staged)]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(encodeURIComponent(secret));
    }
    expect((state[0] as { checkpoint: string }).checkpoint).toContain('"restart":true');

    server.requests.length = 0;
    const result = await collector({ ...args, input: inputs() }).c.execute();
    expect(result.resumed).toBe(true);
    // Input 1 is complete and not asked again; input 2 starts over at its first page.
    expect(paths().map((p) => p.replace(secret, 'SECRET'))).toEqual([
      '/linked/2?per_page=100',
      '/linked/2?page=2&access_token=SECRET',
      '/linked/2?page=3&access_token=SECRET',
      '/linked/3?per_page=100',
      '/linked/3?page=2&access_token=SECRET',
      '/linked/3?page=3&access_token=SECRET',
    ]);
    const rows = await rawRows();
    const expected = [1, 2, 3].flatMap((id) => [1, 2, 3].flatMap((page) => [1, 2].map((k) => id * 100 + page * 10 + k)));
    expect(ids(rows).sort((a, b) => a - b)).toEqual(expected);
    expect(JSON.stringify(rows)).not.toContain(secret);
  });

  it('none: one request, a non-array body is one record', async () => {
    await collector({ urlTemplate: 'single' }).c.execute();
    expect(server.requests).toHaveLength(1);
    expect((await rawRows()).map((r) => JSON.parse(r.data))).toEqual([{ name: 'repo', issues: 25 }]);
  });

  it('sends the method, per-request headers and body the collector asks for', async () => {
    await collector({
      urlTemplate: 'single',
      method: 'POST',
      header: (pager) => ({ 'x-page': String(pager.page) }),
      requestBody: (pager, _input, window) => ({ page: pager.page, size: pager.size, mode: window.mode }),
      pageSize: 7,
    }).c.execute();
    const [req] = server.requests;
    expect(req.method).toBe('POST');
    expect(req.headers['x-page']).toBe('1');
    expect(req.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req.body)).toEqual({ page: 1, size: 7, mode: 'full' });
    expect((await rawRows()).map((r) => JSON.parse(r.data))).toEqual([{ name: 'repo', issues: 25 }]);
  });

  it('input: collects each input streamed from the database, storing the input with each row', async () => {
    await db.dal.knex.schema.createTable('_tool_tracker_issues', (t) => {
      t.integer('id').primary();
      t.string('title');
    });
    await db.dal.insert('_tool_tracker_issues', range(7).map((id) => ({ id, title: `t${id}` })));
    const input = db.dal.stream<{ id: number }>((k) => k('_tool_tracker_issues').select('id'), { key: ['id'], pageSize: 3 });
    const { c, progress } = collector({ urlTemplate: 'issues/{{input.id}}/comments', input, concurrency: 3 });
    await c.execute();
    expect(server.requests).toHaveLength(7);
    const rows = await rawRows();
    expect(rows).toHaveLength(14);
    for (const r of rows) {
      const comment = JSON.parse(r.data) as { issue_id: number };
      expect(JSON.parse(r.input!)).toEqual({ id: comment.issue_id });
      expect(r.url).toBe(`${server.url}issues/${comment.issue_id}/comments`);
    }
    expect(progress.current).toBe(7);
  });

  it('ignoreNotFound: a 404 is an empty last page of its series; without it the run fails', async () => {
    await db.dal.knex.schema.createTable('_tool_tracker_issues', (t) => {
      t.integer('id').primary();
      t.string('p');
    });
    // Issue 2 was deleted upstream between listing and fetching: its comments answer 404.
    await db.dal.insert('_tool_tracker_issues', [{ id: 1, p: 'issues/1/comments' }, { id: 2, p: 'deleted/2/comments' }, { id: 3, p: 'issues/3/comments' }]);
    const input = () => db.dal.stream<{ id: number; p: string }>((k) => k('_tool_tracker_issues').select('id', 'p'), { key: ['id'] });
    await expect(collector({ urlTemplate: '{{input.p}}', input: input() }).c.execute()).rejects.toMatchObject({ code: 'DEVLAKE_E_API_NOT_FOUND' });
    expect(await rawRows()).toHaveLength(0);
    const result = await collector({ urlTemplate: '{{input.p}}', input: input(), pagination: 'link', ignoreNotFound: true }).c.execute();
    expect(server.requests.filter((r) => r.url.startsWith('/deleted/2/comments'))).toHaveLength(2); // once per run, never retried
    const rows = await rawRows();
    expect(rows.map((r) => JSON.parse(r.input!).id).sort()).toEqual([1, 1, 3, 3]);
    expect(result.records).toBe(4);
  });

  it('full sync is atomic: a failure half-way keeps the previous rows, and the next run resumes without duplicates', async () => {
    await collector({ pagination: 'page', pageSize: 10 }).c.execute();
    const before = await rawRows();
    api.issues = api.issues.map((i) => ({ ...i, title: `${i.title} v2` }));
    api.override = (_req, url) => (url.searchParams.get('page') === '2' ? { status: 404, body: { message: 'gone' } } : undefined);
    const failed = await collector({ pagination: 'page', pageSize: 10 }).c.execute().catch((e: unknown) => e);
    expect(hasErrorCode(failed, 'DEVLAKE_E_API_NOT_FOUND')).toBe(true);
    expect(await rawRows()).toEqual(before);

    api.override = undefined;
    server.requests.length = 0;
    const result = await collector({ pagination: 'page', pageSize: 10 }).c.execute();
    expect(result.resumed).toBe(true);
    expect(paths()).toEqual(['/page?page=2&per_page=10', '/page?page=3&per_page=10']);
    const after = await rawRows();
    expect(ids(after)).toEqual(range(25));
    expect(after.every((r) => (JSON.parse(r.data) as FakeIssue).title.endsWith('v2'))).toBe(true);
    const state = await getCollectorState(db.dal, RAW, JSON.stringify(PARAMS));
    expect(state?.checkpoint).toBeUndefined();
    expect(state?.latestSuccessStart).toBeInstanceOf(Date);
  });

  it('a cancel mid-collection leaves the previous data and resumes at the last committed page', async () => {
    await collector({ urlTemplate: 'total', pagination: 'totalPages', pageSize: 5, getTotalPages: (r) => Number(r.headers['x-total-pages']) }).c.execute();
    const before = await rawRows();
    server.requests.length = 0;
    const ac = new AbortController();
    api.override = (_req, url) => {
      if (url.searchParams.get('page') === '3') {
        ac.abort();
        return { hang: true };
      }
      return undefined;
    };
    const cancelled = await collector(
      { urlTemplate: 'total', pagination: 'totalPages', pageSize: 5, concurrency: 1, getTotalPages: (r) => Number(r.headers['x-total-pages']) },
      { signal: ac.signal },
    )
      .c.execute()
      .catch((e: unknown) => e);
    expect(hasErrorCode(cancelled, 'DEVLAKE_E_CANCELLED')).toBe(true);
    expect(await rawRows()).toEqual(before);

    api.override = undefined;
    server.requests.length = 0;
    const result = await collector({
      urlTemplate: 'total',
      pagination: 'totalPages',
      pageSize: 5,
      concurrency: 1,
      getTotalPages: (r) => Number(r.headers['x-total-pages']),
    }).c.execute();
    expect(result.resumed).toBe(true);
    expect(paths()).toEqual(['/total?page=3&per_page=5', '/total?page=4&per_page=5', '/total?page=5&per_page=5']);
    expect(ids(await rawRows()).sort((a, b) => a - b)).toEqual(range(25));
  });

  it('totalPages: a failing page stops the concurrent ones; the rerun fetches each missing page exactly once', async () => {
    const args = { urlTemplate: 'total', pagination: 'totalPages' as const, pageSize: 3, concurrency: 3, getTotalPages: (r: { headers: Record<string, string> }) => Number(r.headers['x-total-pages']) };
    api.override = (_req, url) => (url.searchParams.get('page') === '4' ? { status: 400, body: { message: 'bad page' } } : undefined);
    const failed = await collector(args).c.execute().catch((e: unknown) => e);
    expect(hasErrorCode(failed, 'DEVLAKE_E_API_RESPONSE')).toBe(true);
    expect(await rawRows()).toHaveLength(0);
    const pageOf = (u: string): number => Number(new URL(u, 'http://x').searchParams.get('page'));
    const state = await getCollectorState(db.dal, RAW, JSON.stringify(PARAMS));
    const committed = (state?.checkpoint as { units: Record<string, { pagesDone: number[] }> }).units['0'].pagesDone;
    expect(committed).toContain(1);
    expect(committed).not.toContain(4);
    api.override = undefined;
    server.requests.length = 0;
    expect((await collector(args).c.execute()).resumed).toBe(true);
    const second = paths().map(pageOf);
    expect([...committed, ...second].sort((a, b) => a - b)).toEqual(range(9));
    expect(ids(await rawRows()).sort((a, b) => a - b)).toEqual(range(25));
  });

  it('a failed page save fails the run naming the page, saves nothing after it, and the rerun completes the data', async () => {
    await ensureStagingTable(db.dal);
    await ensureRawTable(db.dal, RAW);
    // A database error on the rows of page 5 (ids 13-15), whichever worker saves it: pages are written into the raw table.
    if (db.dialect === 'sqlite') {
      await db.dal.knex.raw(`CREATE TRIGGER fail_page BEFORE INSERT ON ${RAW} WHEN NEW.data LIKE '{"id":13,%' BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    } else if (db.dialect === 'mysql') {
      await db.dal.knex.raw(
        `CREATE TRIGGER fail_page BEFORE INSERT ON ${RAW} FOR EACH ROW BEGIN IF NEW.data LIKE '{"id":13,%' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'disk full'; END IF; END`,
      );
    } else {
      await db.dal.knex.raw(`CREATE FUNCTION fail_page() RETURNS trigger AS $$ BEGIN IF NEW.data LIKE '{"id":13,%' THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
      await db.dal.knex.raw(`CREATE TRIGGER fail_page BEFORE INSERT ON ${RAW} FOR EACH ROW EXECUTE FUNCTION fail_page()`);
    }
    const args = { urlTemplate: 'total', pagination: 'totalPages' as const, pageSize: 3, concurrency: 4, getTotalPages: (r: { headers: Record<string, string> }) => Number(r.headers['x-total-pages']) };
    const failed = await collector(args).c.execute().catch((e: unknown) => e);
    expect(hasErrorCode(failed, 'DEVLAKE_E_DB_QUERY')).toBe(true);
    expect((failed as Error).message).toContain('/total?page=5&per_page=3');
    expect((failed as Error).message).toContain('disk full');
    const state = await getCollectorState(db.dal, RAW, JSON.stringify(PARAMS));
    const committed = (state?.checkpoint as { units: Record<string, { pagesDone: number[] }> }).units['0'].pagesDone;
    expect(committed).not.toContain(5);
    // The pages saved before the failure are parked in the staging table for the rerun; the raw table is as before.
    const staged = await db.dal.knex(RAW_STAGING_TABLE).select('records');
    expect(stagedRecords(staged)).toBe(committed.length * 3);
    expect(await rawRows()).toEqual([]);

    await db.dal.knex.raw('DROP TRIGGER fail_page' + (db.dialect === 'postgres' ? ` ON ${RAW}` : ''));
    await collector(args).c.execute();
    expect(ids(await rawRows()).sort((a, b) => a - b)).toEqual(range(25));
  });

  it('a run that staged every page but failed to publish them publishes on the next run without fetching again', async () => {
    await collector({ pagination: 'page', pageSize: 10 }).c.execute();
    const before = await rawRows();
    // Make the publish step fail: recording the success (the checkpoint cleared) is refused, after every page was saved.
    const STATE = '_devlake_ts_collector_latest_state';
    if (db.dialect === 'sqlite') {
      await db.dal.knex.raw(`CREATE TRIGGER no_publish BEFORE UPDATE ON ${STATE} WHEN NEW.checkpoint IS NULL BEGIN SELECT RAISE(ABORT, 'raw table locked'); END`);
    } else if (db.dialect === 'mysql') {
      await db.dal.knex.raw(
        `CREATE TRIGGER no_publish BEFORE UPDATE ON ${STATE} FOR EACH ROW BEGIN IF NEW.checkpoint IS NULL THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'raw table locked'; END IF; END`,
      );
    } else {
      await db.dal.knex.raw(`CREATE FUNCTION no_publish() RETURNS trigger AS $$ BEGIN IF NEW.checkpoint IS NULL THEN RAISE EXCEPTION 'raw table locked'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
      await db.dal.knex.raw(`CREATE TRIGGER no_publish BEFORE UPDATE ON ${STATE} FOR EACH ROW EXECUTE FUNCTION no_publish()`);
    }
    api.issues = api.issues.map((i) => ({ ...i, title: `${i.title} v2` }));
    const failed = await collector({ pagination: 'page', pageSize: 10 }).c.execute().catch((e: unknown) => e);
    expect(hasErrorCode(failed, 'DEVLAKE_E_DB_QUERY')).toBe(true);
    expect((failed as Error).message).toContain('raw table locked');
    expect(await rawRows()).toEqual(before);

    await db.dal.knex.raw('DROP TRIGGER no_publish' + (db.dialect === 'postgres' ? ` ON ${STATE}` : ''));
    server.requests.length = 0;
    const result = await collector({ pagination: 'page', pageSize: 10 }).c.execute();
    expect(result).toMatchObject({ resumed: true, pages: 0, rowsPublished: 25 });
    expect(server.requests).toHaveLength(0);
    const after = await rawRows();
    expect(ids(after)).toEqual(range(25));
    expect(after.every((r) => (JSON.parse(r.data) as FakeIssue).title.endsWith('v2'))).toBe(true);
  });

  it('a child collection killed mid-way resumes with the remaining inputs only', async () => {
    const inputs = async function* (): AsyncIterable<{ id: number }> {
      for (const id of range(6)) yield { id };
    };
    const ac = new AbortController();
    api.override = (req) => {
      if (req.url === '/issues/4/comments') {
        ac.abort();
        return { hang: true };
      }
      return undefined;
    };
    const args = { urlTemplate: 'issues/{{input.id}}/comments', concurrency: 1 };
    const killed = await collector({ ...args, input: inputs() }, { signal: ac.signal }).c.execute().catch((e: unknown) => e);
    expect(hasErrorCode(killed, 'DEVLAKE_E_CANCELLED')).toBe(true);
    expect(await rawRows()).toHaveLength(0);
    api.override = undefined;
    server.requests.length = 0;
    await collector({ ...args, input: inputs() }).c.execute();
    expect(paths()).toEqual(['/issues/4/comments', '/issues/5/comments', '/issues/6/comments']);
    const rows = await rawRows();
    expect(rows).toHaveLength(12);
    expect(new Set(rows.map((r) => r.data)).size).toBe(12);
  });

  it('incremental: asks only for changes since the last success and keeps the old rows', async () => {
    const args: Partial<ApiCollectorArgs<typeof PARAMS, unknown>> = {
      pagination: 'page',
      pageSize: 10,
      incremental: true,
      query: (pager, _input, window) => ({ page: pager.page, per_page: pager.size, since: window.since?.toISOString() }),
    };
    const first = await collector(args).c.execute();
    expect(first.mode).toBe('full');
    expect(server.requests[0].url).not.toContain('since=');
    api.add(3);
    server.requests.length = 0;
    const second = await collector(args).c.execute();
    expect(second.mode).toBe('incremental');
    expect(second.since).toBeInstanceOf(Date);
    expect(server.requests).toHaveLength(1);
    expect(new URL(server.requests[0].url, 'http://x').searchParams.get('since')).toBe(second.since!.toISOString());
    expect(ids(await rawRows())).toEqual(range(28));

    server.requests.length = 0;
    const full = await collector(args, { syncPolicy: { fullSync: true } }).c.execute();
    expect(full.mode).toBe('full');
    expect(server.requests[0].url).not.toContain('since=');
    expect(ids(await rawRows())).toEqual(range(28));

    const timeAfter = new Date('2020-01-20T12:00:00Z');
    const changed = await collector(args, { syncPolicy: { fullSync: false, timeAfter } }).c.execute();
    expect(changed).toMatchObject({ mode: 'full', since: timeAfter });
    expect(ids(await rawRows())).toEqual(range(28).slice(20));
  });

  it('keeps scopes apart: a full sync of one params leaves the other params alone', async () => {
    await collector({ pagination: 'page', pageSize: 10 }).c.execute();
    await collector({ pagination: 'page', pageSize: 10, params: { ConnectionId: 1, Name: 'org/other' } }).c.execute();
    await collector({ pagination: 'page', pageSize: 10 }).c.execute();
    const rows = await rawRows();
    expect(rows).toHaveLength(50);
    expect(rows.filter((r) => r.params === JSON.stringify(PARAMS))).toHaveLength(25);
  });

  it('rejects a misconfigured collector before any request', async () => {
    const bad = (args: Partial<ApiCollectorArgs<typeof PARAMS, unknown>>): DevlakeError => {
      try {
        collector(args);
      } catch (err) {
        return err as DevlakeError;
      }
      throw new Error('expected a failure');
    };
    expect(bad({ pagination: 'cursor' }).hint).toContain('getNextCursor');
    expect(bad({ pagination: 'totalPages' }).code).toBe('DEVLAKE_E_API_CONFIG');
    expect(bad({ pagination: 'pages' as never }).hint).toContain('totalPages');
    const missing = await collector({ urlTemplate: 'repos/{{params.owner}}/issues' }).c.execute().catch((e: unknown) => e);
    expect(hasErrorCode(missing, 'DEVLAKE_E_API_CONFIG')).toBe(true);
    expect((missing as Error).message).toContain('{{params.owner}}');
    expect(server.requests).toHaveLength(0);
  });
});
