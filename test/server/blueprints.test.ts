import { databases } from '../../src/testing/databases';
import { startServer as startFakeApi, type TestServer } from '../helpers/api-test-server';
import { dumpDatabase, openTestApp, type TestApp } from './helpers';

interface PipelineBody {
  id: number;
  status: string;
  blueprintId: number | null;
  tasks: Array<{ id: number; plugin: string; stage: number; status: string; options: Record<string, unknown> }>;
}
interface BlueprintBody {
  id: number;
  name: string;
  cron?: string;
  enabled: boolean;
  nextRunAt: string | null;
  connections: Array<{ plugin: string; connectionId?: number; scopes: Array<Record<string, unknown>> }>;
}

const FINAL = ['COMPLETED', 'PARTIAL', 'FAILED', 'CANCELLED'];
const TOKEN = 'blueprint-token-PLAINTEXT-4242';

async function waitFor(t: TestApp, id: number, timeoutMs = 30_000): Promise<PipelineBody> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const p = (await t.call({ method: 'GET', url: `/pipelines/${id}` })).json() as PipelineBody;
    if (FINAL.includes(p.status)) return p;
    if (Date.now() > until) throw new Error(`pipeline ${id} still ${p.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(databases())('blueprints over HTTP on $name', (database) => {
  let t: TestApp;
  let api: TestServer;
  let connectionId: number;
  beforeAll(async () => {
    api = await startFakeApi((req) => (req.headers.authorization === `Bearer ${TOKEN}` ? { body: { committers: { a: 'A', b: 'B' } } } : { status: 401, body: {} }), 200);
    t = await openTestApp(database);
    connectionId = ((await t.call({ method: 'POST', url: '/plugins/icla/connections', payload: { name: 'bp', endpoint: api.url, auth: { type: 'bearer', token: TOKEN } } })).json() as { id: number }).id;
    const configId = ((await t.call({ method: 'POST', url: `/plugins/icla/connections/${connectionId}/scope-configs`, payload: { name: 'rules', data: { pattern: 'deploy' } } })).json() as { id: number }).id;
    await t.call({ method: 'PUT', url: `/plugins/icla/connections/${connectionId}/scopes`, payload: { data: [{ scopeId: 'apache', options: { scope: 'apache' }, scopeConfigId: configId }] } });
  });
  afterAll(async () => {
    await t?.close();
    await api?.close();
  });

  it('saves, lists, edits and deletes a blueprint; runs it now on the blueprint engine with saved scopes read at run time', async () => {
    const created = await t.call({
      method: 'POST',
      url: '/blueprints',
      payload: {
        name: 'nightly',
        project: 'apache',
        connections: [
          { plugin: 'icla', connectionId, scopes: [{ scopeId: 'apache' }] },
          { plugin: 'demo', scopes: [{ count: 2 }, { count: 3 }] },
        ],
        after: [{ plugin: 'echo' }],
        syncPolicy: { skipOnFail: true },
      },
    });
    expect(created.statusCode).toBe(201);
    const bp = created.json() as BlueprintBody;
    expect(bp).toMatchObject({ name: 'nightly', enabled: true, nextRunAt: null });
    expect((await t.call({ method: 'GET', url: '/blueprints' })).json()).toEqual([bp]);
    expect((await t.call({ method: 'GET', url: `/blueprints/${bp.id}` })).json()).toEqual(bp);

    const run = await t.call({ method: 'POST', url: `/blueprints/${bp.id}/trigger` });
    expect(run.statusCode).toBe(201);
    const started = run.json() as PipelineBody;
    expect(started.blueprintId).toBe(bp.id);
    // Stage 1: each connection's scopes (the saved one with its scope config); stage 2: the `after` tasks.
    expect(started.tasks.map((x) => [x.stage, x.plugin, x.options])).toEqual([
      [1, 'icla', { connectionId, scope: 'apache', scopeConfig: { pattern: 'deploy' } }],
      [1, 'demo', { count: 2 }],
      [1, 'demo', { count: 3 }],
      [2, 'echo', {}],
    ]);
    const done = await waitFor(t, started.id);
    expect(done.tasks.map((x) => x.status)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED']);
    expect(api.requests.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(((await t.call({ method: 'GET', url: `/blueprints/${bp.id}/pipelines` })).json() as PipelineBody[]).map((p) => p.id)).toEqual([started.id]);

    // A saved scope changed after the blueprint was saved: the next run reads it.
    await t.call({ method: 'PUT', url: `/plugins/icla/connections/${connectionId}/scopes`, payload: { data: [{ scopeId: 'apache', options: { scope: 'apache-2' } }] } });
    const second = (await t.call({ method: 'POST', url: `/blueprints/${bp.id}/trigger` })).json() as PipelineBody;
    expect(second.tasks[0].options).toEqual({ connectionId, scope: 'apache-2' });
    await waitFor(t, second.id);

    const edited = await t.call({ method: 'PATCH', url: `/blueprints/${bp.id}`, payload: { name: 'nightly-2', connections: [{ plugin: 'demo', scopes: [{ count: 1 }] }] } });
    expect(edited.json()).toMatchObject({ id: bp.id, name: 'nightly-2', project: 'apache', connections: [{ plugin: 'demo', scopes: [{ count: 1 }] }] });
    const other = (await t.call({ method: 'POST', url: '/blueprints', payload: { name: 'other', connections: [{ plugin: 'demo', scopes: [{ count: 1 }] }] } })).json() as BlueprintBody;
    const clash = await t.call({ method: 'PATCH', url: `/blueprints/${other.id}`, payload: { name: 'nightly-2' } });
    expect([clash.statusCode, clash.json()]).toEqual([409, expect.objectContaining({ code: 'DEVLAKE_E_BLUEPRINT_CONFLICT', field: 'name' })]);

    expect((await t.call({ method: 'DELETE', url: `/blueprints/${bp.id}` })).json()).toMatchObject({ name: 'nightly-2' });
    expect((await t.call({ method: 'GET', url: `/blueprints/${bp.id}` })).json()).toMatchObject({ code: 'DEVLAKE_E_BLUEPRINT_NOT_FOUND' });
    expect((await t.call({ method: 'POST', url: `/blueprints/${bp.id}/trigger` })).statusCode).toBe(404);
    // Its pipelines stay.
    expect((await t.call({ method: 'GET', url: `/pipelines/${started.id}` })).json()).toMatchObject({ blueprintId: bp.id, status: 'COMPLETED' });
    await t.call({ method: 'DELETE', url: `/blueprints/${other.id}` });
  });

  it('refuses what could not run, naming the field: unknown plugin, connection or saved scope, a bad cron, traversal and SQL-looking input', async () => {
    const post = (payload: unknown) => t.call({ method: 'POST', url: '/blueprints', payload: payload as Record<string, unknown> });
    const demo = [{ plugin: 'demo', scopes: [{ count: 1 }] }];
    const cases: Array<[unknown, number, string, string]> = [
      [{ name: 'a', connections: [{ plugin: 'nosuch', scopes: [] }] }, 404, 'DEVLAKE_E_PLUGIN_NOT_FOUND', 'connections.0.plugin'],
      [{ name: 'a', connections: [{ plugin: '../demo', scopes: [] }] }, 400, 'DEVLAKE_E_SERVER_REQUEST', 'connections.0.plugin'],
      [{ name: 'a', connections: [{ plugin: 'icla', connectionId: 999, scopes: [] }] }, 404, 'DEVLAKE_E_CONNECTION_NOT_FOUND', ''],
      [{ name: 'a', connections: [{ plugin: 'icla', connectionId, scopes: [{ scopeId: 'nope' }] }] }, 404, 'DEVLAKE_E_SCOPE_NOT_FOUND', ''],
      [{ name: 'a', connections: [{ plugin: 'icla', scopes: [{ scopeId: 'apache' }] }] }, 400, 'DEVLAKE_E_BLUEPRINT', 'connections.0.scopes.0'],
      [{ name: 'a', connections: demo, cron: 'every night' }, 400, 'DEVLAKE_E_BLUEPRINT', 'cron'],
      [{ name: 'a', connections: demo, after: [{ plugin: 'nosuch' }] }, 404, 'DEVLAKE_E_PLUGIN_NOT_FOUND', 'after.0.plugin'],
      [{ name: 'a', connections: [] }, 400, 'DEVLAKE_E_SERVER_REQUEST', 'connections'],
      [{ connections: demo }, 400, 'DEVLAKE_E_SERVER_REQUEST', 'name'],
      [{ name: 'a', connections: demo, isAdmin: true }, 400, 'DEVLAKE_E_SERVER_REQUEST', 'isAdmin'],
      [{ name: 'a', connections: demo, syncPolicy: { timeAfter: 'yesterday' } }, 400, 'DEVLAKE_E_SERVER_REQUEST', 'syncPolicy.timeAfter'],
    ];
    for (const [payload, status, code, field] of cases) {
      const res = await post(payload);
      expect([JSON.stringify(payload), res.statusCode, res.json()]).toEqual([JSON.stringify(payload), status, expect.objectContaining({ code, ...(field ? { field } : {}) })]);
    }
    expect((await t.call({ method: 'GET', url: '/blueprints' })).json()).toEqual([]);
    expect((await t.call({ method: 'GET', url: '/blueprints/..%2F1' })).statusCode).toBe(400);

    const name = `x'); DROP TABLE _devlake_ts_blueprints; --`;
    const saved = await post({ name, connections: [{ plugin: 'demo', scopes: [{ count: 1, note: "1 OR 1=1; DELETE FROM _devlake_ts_pipelines" }] }] });
    expect(saved.statusCode).toBe(201);
    expect(((await t.call({ method: 'GET', url: '/blueprints' })).json() as BlueprintBody[]).map((b) => b.name)).toEqual([name]);
    await t.call({ method: 'DELETE', url: `/blueprints/${(saved.json() as BlueprintBody).id}` });
    expect(await dumpDatabase(t.db)).not.toContain(TOKEN);
  });
});

// The schedule is the server's, not the database's: SQLite only.
describe.each(databases().filter((d) => d.name === 'sqlite'))('scheduled blueprints on $name', (database) => {
  it('runs a blueprint on its cron while enabled, never two of its pipelines at once (even with two servers), and stops when disabled', async () => {
    const t = await openTestApp(database);
    let second: TestApp | undefined;
    try {
      // Every second; each run takes longer than that (15 rows at 100 ms), so some ticks find it running.
      const bp = (await t.call({ method: 'POST', url: '/blueprints', payload: { name: 'every-second', cron: '* * * * * *', connections: [{ plugin: 'demo', scopes: [{ count: 15, delayMs: 100 }] }] } })).json() as BlueprintBody;
      expect(bp.nextRunAt).not.toBeNull();
      // A second server over the same database schedules the saved blueprint too, on the same ticks.
      second = await openTestApp(database, { db: t.db, encryptionSecret: t.encryptionSecret });
      expect(((await second.call({ method: 'GET', url: `/blueprints/${bp.id}` })).json() as BlueprintBody).nextRunAt).not.toBeNull();
      const list = async () => (await t.call({ method: 'GET', url: `/blueprints/${bp.id}/pipelines?limit=100` })).json() as PipelineBody[];
      const seen: PipelineBody[][] = [];
      const until = Date.now() + 30_000;
      while (Date.now() < until) {
        const pipelines = await list();
        seen.push(pipelines);
        if (pipelines.length >= 2 && pipelines.every((p) => FINAL.includes(p.status))) break;
        await new Promise((r) => setTimeout(r, 150));
      }
      const last = seen[seen.length - 1];
      expect(last.length).toBeGreaterThanOrEqual(2);
      for (const snapshot of seen) expect(snapshot.filter((p) => !FINAL.includes(p.status)).length).toBeLessThanOrEqual(1);
      const logs = [...t.logLines, ...second.logLines];
      expect(logs.some((l) => /is still (RUNNING|CREATED), this scheduled run is skipped|another server is starting this scheduled run/.test(l))).toBe(true);
      expect(logs.some((l) => /scheduled run failed/.test(l))).toBe(false);

      // Two servers' ticks at the same instant, after the last run ended: one pipeline, not two.
      await t.call({ method: 'PATCH', url: `/blueprints/${bp.id}`, payload: { cron: null } });
      await second.call({ method: 'PATCH', url: `/blueprints/${bp.id}`, payload: { cron: null } });
      for (const p of await list()) if (!FINAL.includes(p.status)) await waitFor(t, p.id);
      const before = (await list()).length;
      await Promise.all([t.ctx.blueprints.runScheduled(bp.id), second.ctx.blueprints.runScheduled(bp.id), t.ctx.blueprints.runScheduled(bp.id)]);
      expect((await list()).length).toBe(before + 1);
      await t.call({ method: 'PATCH', url: `/blueprints/${bp.id}`, payload: { cron: '* * * * * *' } });

      // The second server stops; on the first, disabled, it runs no more.
      await second.close();
      second = undefined;
      const off = (await t.call({ method: 'PATCH', url: `/blueprints/${bp.id}`, payload: { enabled: false } })).json() as BlueprintBody;
      expect(off.nextRunAt).toBeNull();
      for (const p of await list()) if (!FINAL.includes(p.status)) await waitFor(t, p.id);
      const count = (await list()).length;
      await new Promise((r) => setTimeout(r, 2500));
      expect((await list()).length).toBe(count);
    } finally {
      await second?.close();
      await t.close();
    }
  });
});
