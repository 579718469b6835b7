import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { mapConfig } from '../../src/core/config';
import { silentLogger } from '../../src/core/logger';
import { parseQueueUrl } from '../../src/pipeline/queue-connection';
import { startWorker } from '../../src/pipeline/worker';
import { databases } from '../../src/testing/databases';
import { startServer as startFakeApi, type TestServer } from '../helpers/api-test-server';
import { dumpDatabase, openTestApp, TEST_SEARCH_PATH, type TestApp } from './helpers';

interface PipelineBody {
  id: number;
  status: string;
  tasks: Array<{ id: number; plugin: string; status: string; done: number; total: number; options: Record<string, unknown>; errorCode: string | null }>;
}

const FINAL = ['COMPLETED', 'PARTIAL', 'FAILED', 'CANCELLED'];

async function waitFor(t: TestApp, id: number, statuses = FINAL, timeoutMs = 30_000): Promise<PipelineBody> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const p = (await t.call({ method: 'GET', url: `/pipelines/${id}` })).json() as PipelineBody;
    if (statuses.includes(p.status)) return p;
    if (Date.now() > until) throw new Error(`pipeline ${id} still ${p.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(databases())('pipelines over HTTP on $name', (database) => {
  let t: TestApp;
  let api: TestServer;
  beforeAll(async () => {
    api = await startFakeApi((req) =>
      req.headers.authorization === 'Bearer pipe-token-1234' ? { body: { committers: { a: 'A', b: 'B' } } } : { status: 401, body: {} },
    );
    t = await openTestApp(database);
  });
  afterAll(async () => {
    await t?.ctx.pipelines.close();
    await t?.close();
    await api?.close();
  });

  it('runs a two-stage plan to COMPLETED with task progress, and lists it', async () => {
    const created = await t.call({
      method: 'POST',
      url: '/pipelines',
      payload: { name: 'numbers', plan: [[{ plugin: 'demo', options: { count: 3 } }, { plugin: 'echo' }], [{ plugin: 'demo', options: { count: 4 }, subtasks: ['Write Numbers'] }]] },
    });
    expect(created.statusCode).toBe(201);
    const p = await waitFor(t, (created.json() as PipelineBody).id);
    expect(p.status).toBe('COMPLETED');
    expect(p.tasks.map((x) => [x.plugin, x.status, x.done, x.total])).toEqual([
      ['demo', 'COMPLETED', 2, 2],
      ['echo', 'COMPLETED', 1, 1],
      ['demo', 'COMPLETED', 1, 1],
    ]);
    const list = (await t.call({ method: 'GET', url: '/pipelines?limit=5' })).json() as PipelineBody[];
    expect(list[0].id).toBe(p.id);
    expect((await t.call({ method: 'GET', url: `/pipelines/${p.id}/tasks` })).json()).toHaveLength(3);
  });

  it('runs a task with a saved connection and scope, and streams its log as server-sent events', async () => {
    const conn = (await t.call({ method: 'POST', url: '/plugins/icla/connections', payload: { name: 'piped', endpoint: api.url, auth: { type: 'bearer', token: 'pipe-token-1234' } } })).json() as { id: number };
    await t.call({ method: 'PUT', url: `/plugins/icla/connections/${conn.id}/scopes`, payload: { data: [{ scopeId: 'apache', options: { scope: 'apache' } }] } });
    const created = (await t.call({ method: 'POST', url: '/pipelines', payload: { plan: [[{ plugin: 'icla', connectionId: conn.id, scopeId: 'apache' }]] } })).json() as PipelineBody;
    expect(created.tasks[0].options).toEqual({ scope: 'apache', connectionId: conn.id });

    // The log over a real socket, read as a browser's EventSource would.
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/tasks/${created.tasks[0].id}/logs`);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await res.text(); // the stream ends after the `end` event
    expect(text).toMatch(/event: log\ndata: \[[^\]]+\] INFO \[icla\] total step: 3\n\n/);
    expect(text).toContain('[icla] [Collect Committer]');
    expect(text).toMatch(/event: end\ndata: \{"status":"COMPLETED"\}\n\n$/);
    expect(text).not.toContain('pipe-token-1234');
    expect((await waitFor(t, created.id)).status).toBe('COMPLETED');
    expect(api.requests.length).toBeGreaterThan(0);
    expect(api.requests.every((r) => r.headers.authorization === 'Bearer pipe-token-1234')).toBe(true);
  });

  it("stores each task's log (redacted): another server over the same database, as after a restart, streams it", async () => {
    const conn = (await t.call({ method: 'POST', url: '/plugins/icla/connections', payload: { name: 'stored-log', endpoint: api.url, auth: { type: 'bearer', token: 'pipe-token-1234' } } })).json() as { id: number };
    const created = (await t.call({ method: 'POST', url: '/pipelines', payload: { plan: [[{ plugin: 'icla', connectionId: conn.id, options: { scope: 'stored' } }]] } })).json() as PipelineBody;
    const done = await waitFor(t, created.id);
    expect(done.status).toBe('COMPLETED');
    const live = await sseText(t.app, done.tasks[0].id);
    const other = await openTestApp(database, { db: t.db, encryptionSecret: t.encryptionSecret });
    try {
      expect(other.ctx.pipelines.logs.has(done.tasks[0].id)).toBe(false); // nothing in this server's memory
      const stored = await sseText(other.app, done.tasks[0].id);
      const lines = (text: string) => text.split('\n').filter((l) => l.startsWith('data: ['));
      expect(lines(stored).length).toBeGreaterThan(3);
      expect(lines(stored)).toEqual(lines(live));
      expect(stored).toMatch(/event: end\ndata: \{"status":"COMPLETED"\}\n\n$/);
      const rows = (await t.db.dal.knex('_devlake_ts_task_logs').where({ task_id: done.tasks[0].id })) as Array<{ line: string }>;
      expect(rows.length).toBe(lines(stored).length);
      expect(JSON.stringify(rows)).not.toContain('pipe-token-1234');
    } finally {
      await other.close();
    }
  });

  it('cancels a running pipeline, reruns what did not complete, and refuses a rerun while running', async () => {
    const created = (await t.call({ method: 'POST', url: '/pipelines', payload: { plan: [[{ plugin: 'demo', options: { count: 400, delayMs: 20 } }]] } })).json() as PipelineBody;
    await waitFor(t, created.id, ['RUNNING']);
    const busy = await t.call({ method: 'POST', url: `/pipelines/${created.id}/rerun` });
    expect(busy.statusCode).toBe(409);
    expect(busy.json()).toMatchObject({ code: 'DEVLAKE_E_PIPELINE_RUNNING' });
    await t.call({ method: 'POST', url: `/pipelines/${created.id}/cancel` });
    expect((await waitFor(t, created.id)).status).toBe('CANCELLED');
    const rerun = await t.call({ method: 'POST', url: `/pipelines/${created.id}/rerun` });
    expect(rerun.statusCode).toBe(200);
    await waitFor(t, created.id, ['RUNNING', ...FINAL]);
    await t.call({ method: 'POST', url: `/pipelines/${created.id}/cancel` });
    expect(FINAL).toContain((await waitFor(t, created.id)).status);
  });

  it('checks plans before creating anything: unknown plugin, subtask, connection or scope', async () => {
    const before = ((await t.call({ method: 'GET', url: '/pipelines' })).json() as PipelineBody[]).length;
    const cases = [
      { plan: [[{ plugin: 'nosuch' }]], status: 404, code: 'DEVLAKE_E_PLUGIN_NOT_FOUND' },
      { plan: [[{ plugin: 'demo', subtasks: ['Nope'] }]], status: 400, code: 'DEVLAKE_E_SUBTASK_UNKNOWN' },
      { plan: [[{ plugin: 'icla', connectionId: 999 }]], status: 404, code: 'DEVLAKE_E_CONNECTION_NOT_FOUND' },
      { plan: [[{ plugin: 'icla', scopeId: 'x' }]], status: 400, code: 'DEVLAKE_E_PIPELINE_PLAN' },
      { plan: [[]], status: 400, code: 'DEVLAKE_E_SERVER_REQUEST' },
      { plan: [[{ plugin: '../demo' }]], status: 400, code: 'DEVLAKE_E_SERVER_REQUEST' },
    ];
    for (const c of cases) {
      const res = await t.call({ method: 'POST', url: '/pipelines', payload: { plan: c.plan } });
      expect([res.statusCode, (res.json() as { code: string }).code]).toEqual([c.status, c.code]);
    }
    expect(((await t.call({ method: 'GET', url: '/pipelines' })).json() as PipelineBody[]).length).toBe(before);
    expect((await t.call({ method: 'GET', url: '/pipelines/99999' })).statusCode).toBe(404);
    expect((await t.call({ method: 'GET', url: '/tasks/99999/logs' })).statusCode).toBe(404);
  });
});

/** Every key and value under a Redis prefix, as text (what BullMQ stored: job data, results, events). */
async function redisDump(prefix: string): Promise<string> {
  const IORedis = require('ioredis') as typeof import('ioredis').default;
  const redis = new IORedis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  try {
    const parts: string[] = [];
    for (const key of await redis.keys(`${prefix}:*`)) {
      const type = await redis.type(key);
      const value =
        type === 'hash' ? await redis.hgetall(key) : type === 'list' ? await redis.lrange(key, 0, -1) : type === 'set' ? await redis.smembers(key) : type === 'zset' ? await redis.zrange(key, 0, -1) : type === 'stream' ? await redis.xrange(key, '-', '+') : type === 'string' ? await redis.get(key) : type;
      parts.push(`${key} ${JSON.stringify(value)}`);
    }
    return parts.join('\n');
  } finally {
    redis.disconnect();
  }
}

async function dropRedisPrefix(prefix: string): Promise<void> {
  const IORedis = require('ioredis') as typeof import('ioredis').default;
  const redis = new IORedis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  try {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

/** A task's log as server-sent events over a real socket; the stream ends after its `end` event. */
async function sseText(app: TestApp['app'], taskId: number): Promise<string> {
  if (!app.server.listening) await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return (await fetch(`http://127.0.0.1:${port}/tasks/${taskId}/logs`, { signal: AbortSignal.timeout(20_000) })).text();
}

// Redis is the point here, not the database: Postgres only (the in-process tests above cover every database).
describe.each(databases().filter((d) => d.name === 'postgres'))('pipelines over HTTP on a BullMQ queue, $name', (database) => {
  it('enqueues the plan for a worker (devlake serve --queue), the worker decrypts the saved connection, no secret reaches Redis, and the log is read back', async () => {
    const prefix = `srv_${randomBytes(4).toString('hex')}`;
    const queue = `redis://127.0.0.1:6379?prefix=${prefix}`;
    const api = await startFakeApi((req) => (req.headers.authorization === 'Bearer queue-token-98765' ? { body: { committers: { a: 'A' } } } : { status: 401, body: {} }));
    const t = await openTestApp(database, { queue });
    // The worker has the key (as a `devlake worker` started with the same .env), not the token.
    const worker = await startWorker({ target: parseQueueUrl(queue), dal: t.db.dal, logger: silentLogger, config: mapConfig({ DEVLAKE_ENCRYPTION_SECRET: t.encryptionSecret }), searchPath: TEST_SEARCH_PATH, cancelPollMs: 200 });
    try {
      expect((await t.call({ method: 'GET', url: '/health' })).json()).toEqual({ ok: true, database: 'ok', queue: 'ok' });
      const conn = (await t.call({ method: 'POST', url: '/plugins/icla/connections', payload: { name: 'queued', endpoint: api.url, auth: { type: 'bearer', token: 'queue-token-98765' } } })).json() as { id: number };
      const created = (
        await t.call({ method: 'POST', url: '/pipelines', payload: { plan: [[{ plugin: 'demo', options: { count: 20, delayMs: 50 } }, { plugin: 'icla', connectionId: conn.id, options: { scope: 'apache' } }], [{ plugin: 'echo' }]] } })
      ).json() as PipelineBody & { queue: string };
      expect(created.queue).toBe('devlake');
      // Followed from the start, while a worker runs it: the stored lines as they come, then the end.
      const following = sseText(t.app, created.tasks[0].id);
      expect((await t.call({ method: 'GET', url: `/pipelines/${created.id}` })).json()).toMatchObject({ status: expect.stringMatching(/^(CREATED|RUNNING)$/) });
      const followed = await following;
      expect(followed).toMatch(/event: log\ndata: \[[^\]]+\] INFO \[demo\] \[[^\]]+\] counted 20 numbers\n\n/);
      expect(followed).toMatch(/event: end\ndata: \{"status":"COMPLETED"\}\n\n$/);
      const done = await waitFor(t, created.id, FINAL, 60_000);
      expect(done.tasks.map((x) => [x.plugin, x.status])).toEqual([
        ['demo', 'COMPLETED'],
        ['icla', 'COMPLETED'],
        ['echo', 'COMPLETED'],
      ]);
      expect(done.status).toBe('COMPLETED');
      expect(api.requests.length).toBeGreaterThan(0);
      expect(api.requests.every((r) => r.headers.authorization === 'Bearer queue-token-98765')).toBe(true);
      // The worker's log lines were stored: this server, which ran nothing, streams them.
      const text = await sseText(t.app, done.tasks[1].id);
      expect(text).toMatch(/event: log\ndata: \[[^\]]+\] INFO \[icla\] total step: 3\n\n/);
      expect(text).toMatch(/event: end\ndata: \{"status":"COMPLETED"\}\n\n$/);
      const redis = await redisDump(prefix);
      expect(redis).toContain(`devlake-tasks:p${created.id}-t${done.tasks[1].id}-`); // the dump holds the jobs…
      expect(redis).not.toContain('queue-token-98765'); // …and no secret
      expect(redis).not.toContain(t.encryptionSecret);
      expect(await dumpDatabase(t.db)).not.toContain('queue-token-98765');
      expect(text).not.toContain('queue-token-98765');
    } finally {
      await worker.close();
      await t.close();
      await api.close();
      await dropRedisPrefix(prefix);
    }
  });
});
