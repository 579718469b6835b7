import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hasErrorCode } from '../../src/core/errors';
import { silentLogger } from '../../src/core/logger';
import { clearSecrets } from '../../src/core/redact';
import { createApiClient } from '../../src/helpers/api-client';
import type { Cassette } from '../../src/runner/cassette';
import { openHttpMode } from '../../src/runner/record-replay';
import { ApiCollector } from '../../src/helpers/api-collector';
import { frameworkMigrations } from '../../src/dal/framework-migrations';
import { migrate } from '../../src/dal/migrator';
import { createSubTaskContext } from '../../src/runner/context';
import { databases } from '../../src/testing/databases';
import type { HttpSettings } from '../../src/core/context';
import { FakeTracker } from '../helpers/api-fake-tracker';
import { startServer, testTaskContext, type TestServer } from '../helpers/api-test-server';

const TOKEN = 'ghp_recordReplaySecret42';

describe('record / replay', () => {
  let dir: string;
  let server: TestServer | undefined;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-cassette-'));
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
    clearSecrets();
  });

  it('records without credentials and replays the same responses with no network', async () => {
    let failedOnce = false;
    server = await startServer((req) => {
      if (req.url.startsWith('/flaky') && !failedOnce) {
        failedOnce = true;
        return { status: 503, body: 'busy' };
      }
      if (req.method === 'POST') return { body: { echo: JSON.parse(req.body), token: `echo ${TOKEN}` } };
      return { body: [{ id: 1, url: req.url }], headers: { 'set-cookie': 'session=abc', 'x-total': '1' } };
    });
    const cassette = path.join(dir, 'fixtures', 'cassette.json');
    const env = { TESTAPI_ENDPOINT: server.url, TESTAPI_TOKEN: TOKEN };

    const rec = await openHttpMode({ mode: 'record', cassette, logger: silentLogger });
    const live = createApiClient(testTaskContext({ env, http: rec.http }), { retryBaseDelayMs: 1 });
    const a = (await live.get('issues', { query: { page: 1, access_token: TOKEN } })).json();
    const b = (await live.request({ method: 'POST', path: 'graphql', body: { query: '{ viewer }' } })).json();
    const c = (await live.get('flaky')).json();
    await live.close();
    await rec.close();
    expect(server.requests).toHaveLength(4);
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${TOKEN}`);

    const text = fs.readFileSync(cassette, 'utf8');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('session=abc');
    expect(text.toLowerCase()).not.toContain('authorization');
    const saved = JSON.parse(text) as Cassette;
    // The 503 that was retried is dropped: a replay answers at once.
    expect(saved.interactions.map((i) => `${i.request.method} ${new URL(i.request.url).pathname} ${i.response.status}`)).toEqual([
      'GET /issues 200',
      'POST /graphql 200',
      'GET /flaky 200',
    ]);
    expect(saved.interactions[0].request.url).toBe(`${server.url}issues?page=1`);
    expect(saved.interactions[1].request.bodySha256).toMatch(/^[0-9a-f]{64}$/);

    await server.close();
    server = undefined;
    const rep = await openHttpMode({ mode: 'replay', cassette, logger: silentLogger });
    const offline = createApiClient(testTaskContext({ env, http: rep.http }));
    // Secrets inside bodies are masked too.
    expect(a).toEqual([{ id: 1, url: `/issues?page=1&access_token=${TOKEN}` }]);
    expect((await offline.get('issues', { query: { page: 1, access_token: TOKEN } })).json()).toEqual([{ id: 1, url: '/issues?page=1&access_token=***' }]);
    expect((await offline.request({ method: 'POST', path: 'graphql', body: { query: '{ viewer }' } })).json()).toEqual({
      ...(b as object),
      token: 'echo ***',
    });
    const flaky = await offline.get('flaky');
    expect(flaky.json()).toEqual(c);
    expect(flaky.headers['x-total']).toBe('1');

    const miss = await offline.get('issues', { query: { page: 2 } }).catch((e: unknown) => e);
    expect(hasErrorCode(miss, 'DEVLAKE_E_REPLAY_MISS')).toBe(true);
    expect((miss as Error).message).toContain('issues?page=2');
    expect((miss as { hint?: string }).hint).toMatch(/--record/);
    const otherBody = await offline.request({ method: 'POST', path: 'graphql', body: { query: '{ other }' } }).catch((e: unknown) => e);
    expect(hasErrorCode(otherBody, 'DEVLAKE_E_REPLAY_MISS')).toBe(true);
    await offline.close();
    await rep.close();
  });

  it('fails clearly on a missing or malformed cassette', async () => {
    const missing = await openHttpMode({ mode: 'replay', cassette: path.join(dir, 'nope.json'), logger: silentLogger }).catch((e: unknown) => e);
    expect(hasErrorCode(missing, 'DEVLAKE_E_REPLAY_FILE')).toBe(true);
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{"interactions": 3}');
    const malformed = await openHttpMode({ mode: 'replay', cassette: bad, logger: silentLogger }).catch((e: unknown) => e);
    expect(hasErrorCode(malformed, 'DEVLAKE_E_REPLAY_FILE')).toBe(true);
    const blocker = path.join(dir, 'a-file');
    fs.writeFileSync(blocker, '');
    const unwritable = await openHttpMode({ mode: 'record', cassette: path.join(blocker, 'cassette.json'), logger: silentLogger }).catch((e: unknown) => e);
    expect(hasErrorCode(unwritable, 'DEVLAKE_E_RECORD_FILE')).toBe(true);
    expect((unwritable as { hint?: string }).hint).toContain('--record');
  });

  it('loads a cassette of several MB and answers from it', async () => {
    const big = 'x'.repeat(2000);
    const cassette: Cassette = {
      version: 1,
      interactions: Array.from({ length: 3000 }, (_, i) => ({
        request: { method: 'GET', url: `http://api.test/items?page=${i}` },
        response: { status: 200, headers: { 'content-type': 'application/json' }, json: [{ id: i, big }] },
      })),
    };
    const file = path.join(dir, 'big.json');
    fs.writeFileSync(file, JSON.stringify(cassette));
    expect(fs.statSync(file).size).toBeGreaterThan(5_000_000);
    const rep = await openHttpMode({ mode: 'replay', cassette: file, logger: silentLogger });
    const client = createApiClient(testTaskContext({ http: rep.http }), { endpoint: 'http://api.test/' });
    const res = await client.get('items', { query: { page: 2999 } });
    expect((res.json() as Array<{ id: number }>)[0].id).toBe(2999);
    await client.close();
    await rep.close();
  });
});

describe.each(databases())('record then replay on $name', ({ open }) => {
  it('produces identical raw tables with no network and no token in the cassette', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-cassette-'));
    const cassette = path.join(dir, 'cassette.json');
    const api = new FakeTracker(23);
    const server = await startServer(api.route, 100);
    const env = { TRACKER_ENDPOINT: server.url, TRACKER_TOKEN: TOKEN };

    const collectInto = async (http: HttpSettings): Promise<Array<Record<string, unknown>>> => {
      const db = await open();
      try {
        await migrate(db.dal, [{ owner: 'framework', scripts: frameworkMigrations }]);
        const task = testTaskContext({ pluginName: 'tracker', env, db: db.dal, http });
        const client = createApiClient(task);
        const run = async (name: string, args: Partial<ConstructorParameters<typeof ApiCollector>[0]>): Promise<void> => {
          const { ctx } = createSubTaskContext(task, name, {});
          await new ApiCollector({ ctx, apiClient: client, rawTable: '_raw_tracker_issues', params: { Name: 'o/r' }, urlTemplate: 'page', ...args }).execute();
        };
        await run('Collect Issues', { pagination: 'link', urlTemplate: 'link', pageSize: 10 });
        const issues = db.dal.stream<{ id: number; data: string }>((k) => k('_raw_tracker_issues').select('id', 'data'), { key: ['id'] });
        const inputs = (async function* () {
          for await (const row of issues) yield { id: (JSON.parse(row.data) as { id: number }).id };
        })();
        await run('Collect Comments', { rawTable: '_raw_tracker_comments', urlTemplate: 'issues/{{input.id}}/comments', input: inputs, concurrency: 4 });
        await client.close();
        const rows: Array<Record<string, unknown>> = [];
        for (const table of ['_raw_tracker_issues', '_raw_tracker_comments']) {
          for (const r of await db.dal.knex(table).select('params', 'data', 'url', 'input').orderBy('id')) rows.push({ table, ...r });
        }
        return rows;
      } finally {
        await db.drop();
      }
    };

    try {
      const rec = await openHttpMode({ mode: 'record', cassette, logger: silentLogger });
      const recorded = await collectInto(rec.http);
      await rec.close();
      expect(server.requests).toHaveLength(3 + 23);
      await server.close();

      expect(fs.readFileSync(cassette, 'utf8')).not.toContain(TOKEN);
      const rep = await openHttpMode({ mode: 'replay', cassette, logger: silentLogger });
      const replayed = await collectInto(rep.http);
      await rep.close();
      expect(recorded).toHaveLength(23 + 46);
      // Child rows of concurrent inputs may land in any order: compare as sets.
      const key = (r: Record<string, unknown>): string => JSON.stringify(r);
      expect(replayed.map(key).sort()).toEqual(recorded.map(key).sort());
      expect(replayed.filter((r) => r.table === '_raw_tracker_issues')).toEqual(recorded.filter((r) => r.table === '_raw_tracker_issues'));
    } finally {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
      clearSecrets();
    }
  });
});
