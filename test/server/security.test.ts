import { databases } from '../../src/testing/databases';
import { dumpDatabase, openTestApp, type TestApp } from './helpers';

const TOKEN = 'tok-PLAINTEXT-7d1f0c2b9a';
const PASSWORD = 'pw-PLAINTEXT-55aa33';
const PROXY_PASSWORD = 'proxy-PLAINTEXT-91';
const HEADER_VALUE = 'hdr-PLAINTEXT-0f0f0f';
const ENV_KEY = 'env-api-key-PLAINTEXT-1234567890';

describe.each(databases())('devlake serve security on $name', (database) => {
  describe('with an API key required (any host but loopback)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await openTestApp(database, { requireApiKey: true, env: { DEVLAKE_API_KEYS: `other-key-abcdefgh, ${ENV_KEY}` } });
    });
    afterAll(async () => t?.close());

    it('answers 401 with the same body for a missing, a malformed and a wrong key, on routes and non-routes alike', async () => {
      const answers = await Promise.all([
        t.call({ method: 'GET', url: '/plugins' }),
        t.call({ method: 'GET', url: '/plugins', headers: { authorization: `Bearer ${ENV_KEY}x` } }),
        t.call({ method: 'GET', url: '/plugins', headers: { authorization: ENV_KEY } }),
        t.call({ method: 'GET', url: '/no/such/route', headers: { authorization: 'Bearer nope' } }),
        t.call({ method: 'POST', url: '/plugins/icla/connections', payload: { name: 'x' } }),
        t.call({ method: 'POST', url: '/blueprints', payload: { name: 'x', connections: [{ plugin: 'demo', scopes: [{}] }] } }),
        t.call({ method: 'POST', url: '/pipelines', payload: { plan: [[{ plugin: 'demo' }]] } }),
        t.call({ method: 'GET', url: '/tasks/1/logs', headers: { authorization: 'Bearer nope' } }),
        t.call({ method: 'GET', url: '/openapi.json' }),
      ]);
      for (const res of answers) {
        expect(res.statusCode).toBe(401);
        expect(res.json()).toEqual({ code: 'DEVLAKE_E_SERVER_UNAUTHORIZED', message: 'Unauthorized' });
        expect(res.headers['www-authenticate']).toBe('Bearer');
      }
      expect(await t.ctx.connections.list('icla')).toEqual([]);
      expect(await t.ctx.blueprints.list()).toEqual([]);
      expect(await t.ctx.pipelines.list()).toEqual([]);
    });

    it('accepts a key of DEVLAKE_API_KEYS and a created key (stored hashed), and serves the page without one', async () => {
      expect((await t.call({ method: 'GET', url: '/plugins', headers: { authorization: `Bearer ${ENV_KEY}` } })).statusCode).toBe(200);
      const { key } = await t.ctx.apiKeys.create('ci');
      expect((await t.call({ method: 'GET', url: '/health', headers: { authorization: `bearer ${key}` } })).statusCode).toBe(200);
      const dump = await dumpDatabase(t.db);
      expect(dump).toContain('_devlake_ts_api_keys');
      expect(dump).not.toContain(key);
      expect(dump).not.toContain(key.slice(12));
      await t.ctx.apiKeys.revoke('ci');
      expect((await t.call({ method: 'GET', url: '/health', headers: { authorization: `Bearer ${key}` } })).statusCode).toBe(401);
      const page = await t.call({ method: 'GET', url: '/' });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
    });
  });

  describe('input, CORS and secrets', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await openTestApp(database);
    });
    afterAll(async () => t?.close());

    it('rejects oversized, malformed and mistyped bodies with 400/413 naming the field', async () => {
      const big = await t.call({ method: 'POST', url: '/plugins/icla/connections', payload: { name: 'x', endpoint: `http://x/${'a'.repeat(300 * 1024)}` } });
      expect(big.statusCode).toBe(413);
      expect(big.json()).toMatchObject({ code: 'DEVLAKE_E_SERVER_REQUEST', field: 'body' });
      const malformed = await t.call({ method: 'POST', url: '/plugins/icla/connections', payload: '{"name": "x",', headers: { 'content-type': 'application/json' } });
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json()).toMatchObject({ code: 'DEVLAKE_E_SERVER_REQUEST', field: 'body' });
      const typed = await t.call({ method: 'POST', url: '/plugins/icla/connections', payload: { name: 'x', rateLimitPerHour: 'many' } });
      expect(typed.statusCode).toBe(400);
      expect(typed.json()).toMatchObject({ code: 'DEVLAKE_E_SERVER_REQUEST', field: 'rateLimitPerHour' });
      const nested = await t.call({ method: 'POST', url: '/plugins/icla/connections', payload: { name: 'x', auth: { type: 'oauth' } } });
      expect(nested.json()).toMatchObject({ field: 'auth.type' });
      const missing = await t.call({ method: 'POST', url: '/plugins/icla/connections', payload: { endpoint: 'http://x/' } });
      expect(missing.json()).toMatchObject({ field: 'name' });
      const extra = await t.call({ method: 'POST', url: '/plugins/icla/connections', payload: { name: 'x', isAdmin: true } });
      expect(extra.json()).toMatchObject({ field: 'isAdmin' });
      const badUrl = await t.call({ method: 'POST', url: '/plugins/icla/connections', payload: { name: 'x', endpoint: 'file:///etc/passwd' } });
      expect(badUrl.statusCode).toBe(400);
      expect(badUrl.json()).toMatchObject({ field: 'endpoint' });
      const incomplete = await t.call({ method: 'POST', url: '/plugins/icla/connections', payload: { name: 'x', auth: { type: 'basic', username: 'u' } } });
      expect(incomplete.json()).toMatchObject({ code: 'DEVLAKE_E_CONNECTION_INVALID', field: 'auth.password' });
      const badId = await t.call({ method: 'GET', url: '/plugins/icla/connections/1abc' });
      expect(badId.json()).toMatchObject({ code: 'DEVLAKE_E_SERVER_REQUEST', field: 'connectionId' });
      expect(await t.ctx.connections.list('icla')).toEqual([]);
    });

    it('never reaches a file or another plugin through path traversal in the plugin name', async () => {
      for (const url of ['/plugins/..%2F..%2Fetc%2Fpasswd/connections', '/plugins/../connections', '/plugins/%2e%2e/connections', '/plugins/ICLA/connections', '/plugins/icla%00/connections', '/..%2Fpackage.json', '/app.js/../../package.json']) {
        const res = await t.call({ method: 'GET', url });
        expect([400, 404]).toContain(res.statusCode);
        expect(res.body).not.toContain('"dependencies"');
        expect(res.body).not.toContain('root:');
      }
      const unknown = await t.call({ method: 'GET', url: '/plugins/nosuch/connections' });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({ code: 'DEVLAKE_E_PLUGIN_NOT_FOUND' });
    });

    it('stores SQL-looking input as plain text', async () => {
      const name = `x'); DROP TABLE _devlake_ts_connections; --`;
      const res = await t.call({ method: 'POST', url: '/plugins/icla/connections', payload: { name } });
      expect(res.statusCode).toBe(201);
      const scopeId = `1 OR 1=1; DELETE FROM _devlake_ts_scopes`;
      const id = (res.json() as { id: number }).id;
      await t.call({ method: 'PUT', url: `/plugins/icla/connections/${id}/scopes`, payload: { data: [{ scopeId }] } });
      const list = (await t.call({ method: 'GET', url: '/plugins/icla/connections' })).json() as Array<{ name: string }>;
      expect(list.map((c) => c.name)).toEqual([name]);
      expect((await t.call({ method: 'GET', url: `/plugins/icla/connections/${id}/scopes/${encodeURIComponent(scopeId)}` })).json()).toMatchObject({ scopeId });
      await t.call({ method: 'DELETE', url: `/plugins/icla/connections/${id}` });
    });

    it('sends no CORS header and answers no preflight', async () => {
      const res = await t.call({ method: 'GET', url: '/plugins', headers: { origin: 'https://evil.example' } });
      expect(res.statusCode).toBe(200);
      expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
      const preflight = await t.call({ method: 'OPTIONS', url: '/plugins/icla/connections', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
      expect(preflight.statusCode).toBe(404);
      expect(Object.keys(preflight.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    });

    it('keeps the secrets of a saved connection out of a run by a careless plugin: its stored and streamed log, task and subtask rows, blueprints', async () => {
      const bearer = (await t.call({ method: 'POST', url: '/plugins/echo/connections', payload: { name: 'careless-bearer', endpoint: 'http://127.0.0.1:9/', auth: { type: 'bearer', token: TOKEN } } })).json() as { id: number };
      const header = (await t.call({ method: 'POST', url: '/plugins/echo/connections', payload: { name: 'careless-header', endpoint: 'http://127.0.0.1:9/', auth: { type: 'header', name: 'X-Key', value: HEADER_VALUE } } })).json() as {
        id: number;
      };
      const bp = (
        await t.call({
          method: 'POST',
          url: '/blueprints',
          payload: { name: 'careless', connections: [{ plugin: 'echo', connectionId: bearer.id, scopes: [{}], subtasks: ['Leak Credentials'] }, { plugin: 'echo', connectionId: header.id, scopes: [{}], subtasks: ['Leak Credentials'] }], syncPolicy: { skipOnFail: true } },
        })
      ).json() as { id: number };
      const started = (await t.call({ method: 'POST', url: `/blueprints/${bp.id}/trigger` })).json() as { id: number; tasks: Array<{ id: number }> };
      expect(started.tasks).toHaveLength(2);
      const until = Date.now() + 30_000;
      let p: { status: string; tasks: Array<{ id: number; status: string; message: string | null }> };
      do {
        await new Promise((r) => setTimeout(r, 100));
        p = (await t.call({ method: 'GET', url: `/pipelines/${started.id}` })).json() as typeof p;
      } while (!['PARTIAL', 'FAILED', 'COMPLETED'].includes(p.status) && Date.now() < until);
      expect(p.tasks.map((x) => x.status)).toEqual(['FAILED', 'FAILED']);
      // The plugin did log and throw with the credential: what it logged is there, masked.
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = t.app.server.address() as import('node:net').AddressInfo;
      const streams: string[] = [];
      for (const task of p.tasks) streams.push(await (await fetch(`http://127.0.0.1:${port}/tasks/${task.id}/logs`, { signal: AbortSignal.timeout(20_000) })).text());
      expect(streams.join('\n')).toContain('my credential is ***');
      const stored = JSON.stringify(await t.db.dal.knex('_devlake_ts_task_logs').select('line'));
      expect(stored).toContain('my credential is ***');
      expect(p.tasks[0].message).toContain('cannot go on with ***');

      const everything = [...t.bodies, ...t.logLines, ...streams, await dumpDatabase(t.db)].join('\n');
      for (const secret of [TOKEN, HEADER_VALUE, t.encryptionSecret]) expect(everything).not.toContain(secret);
    });

    it('keeps every secret out of answers, logs and the database dump (the grep)', async () => {
      const c1 = await t.call({ method: 'POST', url: '/plugins/icla/connections', payload: { name: 'bearer', endpoint: 'http://127.0.0.1:9/', auth: { type: 'bearer', token: TOKEN } } });
      const c2 = await t.call({
        method: 'POST',
        url: '/plugins/icla/connections',
        payload: { name: 'basic', endpoint: 'http://127.0.0.1:9/', auth: { type: 'basic', username: 'me', password: PASSWORD }, proxy: `http://me:${PROXY_PASSWORD}@127.0.0.1:9/` },
      });
      const c3 = await t.call({ method: 'POST', url: '/plugins/echo/connections', payload: { name: 'header', endpoint: 'http://127.0.0.1:9/', auth: { type: 'header', name: 'PRIVATE-TOKEN', value: HEADER_VALUE } } });
      for (const c of [c1, c2, c3]) expect(c.statusCode).toBe(201);
      const ids = [c1, c2].map((c) => (c.json() as { id: number }).id);
      // Reads, edits, failed tests (nothing listens on port 9) and listings: all the answers a client could see.
      for (const id of ids) {
        await t.call({ method: 'GET', url: `/plugins/icla/connections/${id}` });
        await t.call({ method: 'PATCH', url: `/plugins/icla/connections/${id}`, payload: { endpoint: 'http://127.0.0.1:9/v2/' } });
        await t.call({ method: 'POST', url: `/plugins/icla/connections/${id}/test` });
      }
      await t.call({ method: 'POST', url: '/plugins/icla/test', payload: { name: 'unsaved', endpoint: 'http://127.0.0.1:9/', auth: { type: 'bearer', token: TOKEN } } });
      await t.call({ method: 'GET', url: '/plugins/echo/connections' });
      await t.call({ method: 'GET', url: `/plugins/echo/connections/${(c3.json() as { id: number }).id}/whoami` });
      await t.call({ method: 'GET', url: '/plugins/icla/connections' });
      await t.call({ method: 'GET', url: '/openapi.json' });

      const everything = [...t.bodies, ...t.logLines, await dumpDatabase(t.db)].join('\n');
      for (const secret of [TOKEN, PASSWORD, PROXY_PASSWORD, HEADER_VALUE, t.encryptionSecret]) expect(everything).not.toContain(secret);
      expect(everything).not.toMatch(/PLAINTEXT/);
      // The secrets are there, encrypted: a saved connection still opens.
      expect((await t.ctx.connections.open('icla', ids[1])).auth).toEqual({ type: 'basic', username: 'me', password: PASSWORD });
      expect(t.bodies.length).toBeGreaterThan(10);
    });
  });
});
