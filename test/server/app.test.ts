import { databases } from '../../src/testing/databases';
import { startServer as startFakeApi, type TestServer } from '../helpers/api-test-server';
import { openTestApp, type TestApp } from './helpers';

const ICLA_BODY = { last_updated: '2024-01-01', committers: { alice: 'Alice A.', bob: 'Bob B.' } };

describe.each(databases())('devlake serve API on $name', (database) => {
  let t: TestApp;
  let fake: TestServer;

  beforeAll(async () => {
    fake = await startFakeApi((req) => {
      if (req.url === '/hang/public/icla-info.json') return { hang: true };
      if (req.headers.authorization !== 'Bearer good-token-1234') return { status: 401, body: { message: 'Bad credentials' } };
      if (req.url === '/public/icla-info.json') return { body: ICLA_BODY };
      if (req.url === '/ping' || req.url === '/ping/') return { body: { pong: true } };
      return { status: 404, body: {} };
    }, 100);
    t = await openTestApp(database, { connectionTestTimeoutMs: 500 });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('GET /plugins lists each plugin with its subtasks, connection test and own resources', async () => {
    const res = await t.call({ method: 'GET', url: '/plugins' });
    expect(res.statusCode).toBe(200);
    const plugins = res.json() as Array<{ name: string; subtasks: Array<{ name: string }>; connectionTest: boolean; apiResources: string[] }>;
    const icla = plugins.find((p) => p.name === 'icla')!;
    expect(icla.subtasks.map((s) => s.name)).toEqual(['Collect Committer', 'Extract Committer', 'Convert Committer']);
    expect(icla.connectionTest).toBe(true);
    const echo = plugins.find((p) => p.name === 'echo')!;
    expect(echo.apiResources).toContain('hello/:who');
    expect(plugins.find((p) => p.name === 'demo')!.connectionTest).toBe(false);
  });

  it('creates, lists, reads, edits and deletes a connection; answers never carry the token', async () => {
    const created = await t.call({
      method: 'POST',
      url: '/plugins/icla/connections',
      payload: { name: 'apache', endpoint: fake.url, auth: { type: 'bearer', token: 'good-token-1234' }, rateLimitPerHour: 3600 },
    });
    expect(created.statusCode).toBe(201);
    const conn = created.json() as { id: number; name: string; auth: { type: string; token: string }; rateLimitPerHour: number };
    expect(conn).toMatchObject({ name: 'apache', plugin: 'icla', endpoint: fake.url, auth: { type: 'bearer', token: '********' }, rateLimitPerHour: 3600 });

    const list = await t.call({ method: 'GET', url: '/plugins/icla/connections' });
    expect((list.json() as Array<{ id: number }>).map((c) => c.id)).toEqual([conn.id]);

    // Renaming without the token keeps it; sending the mask back keeps it too.
    const renamed = await t.call({ method: 'PATCH', url: `/plugins/icla/connections/${conn.id}`, payload: { name: 'apache-main', auth: { type: 'bearer', token: '********' } } });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'apache-main', auth: { token: '********' } });
    expect((await t.ctx.connections.open('icla', conn.id)).auth).toEqual({ type: 'bearer', token: 'good-token-1234' });
    // By name as well as by id (devlake run --connection takes either).
    expect((await t.ctx.connections.open('icla', 'apache-main')).id).toBe(conn.id);

    const dup = await t.call({ method: 'POST', url: '/plugins/icla/connections', payload: { name: 'apache-main' } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'DEVLAKE_E_CONNECTION_CONFLICT', field: 'name' });

    const other = await t.call({ method: 'POST', url: '/plugins/icla/connections', payload: { name: 'tmp', auth: { type: 'basic', username: 'u', password: 'pw-secret-99' }, proxy: 'http://proxyuser:proxy-pass-77@127.0.0.1:3128/' } });
    expect(other.json()).toMatchObject({ auth: { type: 'basic', username: 'u', password: '********' }, proxy: 'http://proxyuser:********@127.0.0.1:3128/' });
    const id = (other.json() as { id: number }).id;
    const deleted = await t.call({ method: 'DELETE', url: `/plugins/icla/connections/${id}` });
    expect(deleted.statusCode).toBe(200);
    const gone = await t.call({ method: 'GET', url: `/plugins/icla/connections/${id}` });
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({ code: 'DEVLAKE_E_CONNECTION_NOT_FOUND' });
  });

  it('tests a saved connection with the plugin test, and unsaved settings before saving', async () => {
    const [conn] = (await t.call({ method: 'GET', url: '/plugins/icla/connections' })).json() as Array<{ id: number }>;
    const ok = await t.call({ method: 'POST', url: `/plugins/icla/connections/${conn.id}/test` });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ ok: true, status: 200, message: expect.stringContaining('2 committers') });

    const refused = await t.call({ method: 'POST', url: '/plugins/icla/test', payload: { name: 'try', endpoint: fake.url, auth: { type: 'bearer', token: 'wrong-token-5678' } } });
    expect(refused.json()).toMatchObject({ ok: false, status: 401, message: expect.stringContaining('refused the credentials') });

    const slow = await t.call({ method: 'POST', url: '/plugins/icla/test', payload: { name: 'slow', endpoint: `${fake.url}hang/`, auth: { type: 'bearer', token: 'good-token-1234' } } });
    expect(slow.json()).toMatchObject({ ok: false, message: 'No answer within 0.5 s' });

    // A plugin without its own test: the endpoint's root must answer 2xx/3xx.
    const plain = await t.call({ method: 'POST', url: '/plugins/demo/test', payload: { name: 'x', endpoint: `${fake.url}ping/`, auth: { type: 'bearer', token: 'good-token-1234' } } });
    expect(plain.json()).toMatchObject({ ok: true, status: 200 });
    const noEndpoint = await t.call({ method: 'POST', url: '/plugins/demo/test', payload: { name: 'x' } });
    expect(noEndpoint.json()).toMatchObject({ ok: false, message: 'The connection has no endpoint to test' });
  });

  it('keeps scopes and scope configs per connection', async () => {
    const conn = (await t.call({ method: 'POST', url: '/plugins/echo/connections', payload: { name: 'scoped' } })).json() as { id: number };
    const base = `/plugins/echo/connections/${conn.id}`;
    const cfg = await t.call({ method: 'POST', url: `${base}/scope-configs`, payload: { name: 'prod', data: { deploymentPattern: 'deploy' } } });
    expect(cfg.statusCode).toBe(201);
    const cfgId = (cfg.json() as { id: number }).id;
    const put = await t.call({ method: 'PUT', url: `${base}/scopes`, payload: { data: [{ scopeId: 'apache/devlake', options: { name: 'apache/devlake' }, scopeConfigId: cfgId }, { scopeId: '2' }] } });
    expect(put.statusCode).toBe(200);
    expect((put.json() as Array<{ scopeId: string }>).map((s) => s.scopeId)).toEqual(['apache/devlake', '2']);
    const one = await t.call({ method: 'GET', url: `${base}/scopes/${encodeURIComponent('apache/devlake')}` });
    expect(one.json()).toMatchObject({ scopeId: 'apache/devlake', name: 'apache/devlake', scopeConfigId: cfgId, options: { name: 'apache/devlake' } });
    const patched = await t.call({ method: 'PATCH', url: `${base}/scope-configs/${cfgId}`, payload: { data: { deploymentPattern: 'release' } } });
    expect(patched.json()).toMatchObject({ name: 'prod', data: { deploymentPattern: 'release' } });
    await t.call({ method: 'DELETE', url: `${base}/scope-configs/${cfgId}` });
    expect((await t.call({ method: 'GET', url: `${base}/scopes/${encodeURIComponent('apache/devlake')}` })).json()).not.toHaveProperty('scopeConfigId');
    const badCfg = await t.call({ method: 'PUT', url: `${base}/scopes`, payload: { data: [{ scopeId: 'x', scopeConfigId: 999 }] } });
    expect(badCfg.statusCode).toBe(404);
    expect(badCfg.json()).toMatchObject({ code: 'DEVLAKE_E_SCOPE_NOT_FOUND' });
    const noConn = await t.call({ method: 'GET', url: '/plugins/echo/connections/9999/scopes' });
    expect(noConn.statusCode).toBe(404);
    // Deleting the connection takes its scopes along.
    await t.call({ method: 'DELETE', url: base });
    expect(await t.ctx.scopes.listScopes('echo', conn.id)).toEqual([]);
  });

  it("mounts the plugin's own apiResources under /plugins/:plugin/, never over the server's routes", async () => {
    const hello = await t.call({ method: 'GET', url: '/plugins/echo/hello/world?loud=1' });
    expect(hello.json()).toEqual({ hello: 'world', loud: true });
    const posted = await t.call({ method: 'POST', url: '/plugins/echo/hello/you', payload: { a: 1 } });
    expect(posted.statusCode).toBe(201);
    expect(posted.json()).toEqual({ to: 'you', got: { a: 1 } });
    const listed = await t.call({ method: 'GET', url: '/plugins/echo/connections' });
    expect(Array.isArray(listed.json())).toBe(true); // the server's list, not { shadowed: true }
    expect(t.logLines.some((l) => l.includes('GET /plugins/echo/connections is served by the server itself'))).toBe(true);
    expect(t.logLines.some((l) => l.includes('"../escape" is not a plain path'))).toBe(true);
    const conn = (await t.call({ method: 'POST', url: '/plugins/echo/connections', payload: { name: 'who', endpoint: fake.url, auth: { type: 'bearer', token: 'good-token-1234' } } })).json() as { id: number };
    const who = await t.call({ method: 'GET', url: `/plugins/echo/connections/${conn.id}/whoami` });
    expect(who.json()).toEqual({ name: 'who', auth: 'bearer' });
    // The echo plugin's own connection test.
    expect((await t.call({ method: 'POST', url: `/plugins/echo/connections/${conn.id}/test` })).json()).toMatchObject({ ok: true, message: 'pinged for who' });
    const boom = await t.call({ method: 'GET', url: '/plugins/echo/boom' });
    expect(boom.statusCode).toBe(500);
    expect(boom.json()).toEqual({ code: 'DEVLAKE_E_INTERNAL', message: 'Internal error', hint: 'The server log has the details.' });
    expect(t.logLines.some((l) => l.includes('plugin handler blew up'))).toBe(true);
  });

  it('answers /health, /version and /openapi.json', async () => {
    expect((await t.call({ method: 'GET', url: '/health' })).json()).toEqual({ ok: true, database: 'ok', queue: 'in process' });
    expect((await t.call({ method: 'GET', url: '/version' })).json()).toMatchObject({ version: expect.stringMatching(/^\d+\.\d+\.\d+/), dialect: database.name });
    const spec = (await t.call({ method: 'GET', url: '/openapi.json' })).json() as { openapi: string; paths: Record<string, unknown> };
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/plugins',
        '/plugins/{plugin}/connections',
        '/plugins/{plugin}/connections/{connectionId}/test',
        '/plugins/{plugin}/connections/{connectionId}/scopes',
        '/plugins/{plugin}/connections/{connectionId}/scope-configs/{scopeConfigId}',
        '/plugins/echo/hello/{who}',
        '/pipelines/{id}/rerun',
        '/tasks/{id}/logs',
        '/blueprints',
        '/blueprints/{id}',
        '/blueprints/{id}/trigger',
        '/blueprints/{id}/pipelines',
        '/health',
        '/version',
      ]),
    );
    // Every operation of the server's own routes is described (a plugin's resources carry what the plugin gave).
    const operations = Object.entries(spec.paths).filter(([p]) => !p.startsWith('/plugins/echo/') && !p.startsWith('/plugins/icla/'));
    for (const [p, ops] of operations) for (const [method, op] of Object.entries(ops as Record<string, { summary?: string }>)) expect([p, method, typeof op.summary]).toEqual([p, method, 'string']);
  });
});
