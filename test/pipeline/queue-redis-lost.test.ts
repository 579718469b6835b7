import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as net from 'node:net';
import { freshDatabase, TEST_PG_URL } from 'devlake-ts/testing';
import type { TestDb } from 'devlake-ts/testing';
import { memoryLogger } from 'devlake-ts';
import { preparePlan } from '../../src/pipeline/engine';
import type { PipelineSpec } from '../../src/pipeline/plan';
import { runPipelineOnQueue } from '../../src/pipeline/queue-run';
import { PipelineStore } from '../../src/pipeline/store';
import { spawnDevlake, type RunningCli } from '../cli/helpers';
import { FAULT_PLUGINS, flakyEnv } from '../faults/support/flaky-plugin';
import { startFlakyServer, type FlakyServer } from '../faults/support/flaky-server';

/**
 * Redis lost in the middle of a queue run. A private redis-server (its own
 * port, no persistence) is started for the test, so it can be killed without
 * touching the shared one; Postgres is the shared server (a schema of its own).
 * Two workers run one task each when Redis dies (SIGKILL): they finish those
 * tasks in the database and take no other; every scope is either complete or
 * untouched. Redis back (empty: it kept nothing), the same workers reconnect
 * and running the pipeline again completes the rest with every record once.
 */
jest.setTimeout(150_000);

const SCOPES = 6;
const PAGES = 8;
const PAGE_SIZE = 10;

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

/** redis-server on `port`, in the foreground as our child, ready when it accepts connections. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited ${code}: ${out}`)));
  });
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

function startWorker(db: TestDb, queue: string, env: Record<string, string>): { cli: RunningCli; ready: Promise<void>; log: () => string } {
  let ready!: () => void;
  let log = '';
  const readyP = new Promise<void>((r) => (ready = r));
  const cli = spawnDevlake(['--db', db.url, 'worker', '--queue', queue, '--lock-duration', '5000'], {
    env: { ...env, DEVLAKE_PLUGINS_PATH: FAULT_PLUGINS },
    timeoutMs: 140_000,
    onStderr: (_chunk, _child, all) => {
      log = all;
      if (all.includes('worker ready')) ready();
    },
  });
  const exited = cli.done.then((r) => Promise.reject(new Error(`worker exited (${r.code ?? r.signal}) before ready: ${r.stderr}`)));
  exited.catch(() => undefined);
  return { cli, ready: Promise.race([readyP, exited]), log: () => log };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Redis lost mid-run (private redis-server, Postgres)', () => {
  let server: FlakyServer;

  beforeAll(async () => {
    server = await startFlakyServer({
      pages: PAGES,
      pageSize: PAGE_SIZE,
      maxRequests: 10_000,
      onRequest: () => new Promise((r) => setTimeout(r, 250)), // a task takes seconds: Redis dies while two run
    });
  });
  afterAll(() => server.close());

  it('workers finish the tasks they hold, take no other, nothing half-written; Redis back, the rest completes', async () => {
    const port = await freePort();
    let redis = await startRedis(port);
    const prefix = `dlt_qlost_${randomBytes(4).toString('hex')}`;
    const queue = `redis://127.0.0.1:${port}?prefix=${prefix}`;
    const db = await freshDatabase(TEST_PG_URL, 'qlost');
    const env = flakyEnv(server.url, { FLAKY_API_TIMEOUT: '10s' });
    const workers: RunningCli[] = [];
    try {
      const spec: PipelineSpec = { plan: [Array.from({ length: SCOPES }, (_, i) => ({ plugin: 'flaky', options: { scope: `lost-${i + 1}`, pageSize: PAGE_SIZE } }))] };
      await preparePlan(spec, { dal: db.dal, searchPath: [FAULT_PLUGINS] });
      const store = new PipelineStore(db.dal);
      const id = await store.create(spec, { queue: prefix });
      const started = [startWorker(db, queue, env), startWorker(db, queue, env)];
      workers.push(...started.map((s) => s.cli));
      await Promise.all(started.map((s) => s.ready));
      await runPipelineOnQueue({ dal: db.dal, pipelineId: id, redisUrl: queue, logger: memoryLogger(), detach: true });

      // Both workers hold a task: Redis dies.
      const held = await until('two running tasks', async () => {
        const running = (await store.get(id)).tasks.filter((t) => t.status === 'RUNNING');
        return running.length === 2 ? running.map((t) => t.id) : undefined;
      }, 60_000);
      await kill(redis);

      // The held tasks end in the database; no worker starts another one meanwhile.
      const afterLoss = await until('the held tasks to end', async () => {
        const p = await store.get(id);
        return p.tasks.some((t) => t.status === 'RUNNING') ? undefined : p;
      }, 60_000);
      await new Promise((r) => setTimeout(r, 3000)); // time to (wrongly) take another task
      const settled = await store.get(id);
      const byId = new Map(settled.tasks.map((t) => [t.id, t]));
      for (const t of held) expect([t, byId.get(t)!.status]).toEqual([t, 'COMPLETED']);
      const done = settled.tasks.filter((t) => t.status === 'COMPLETED').map((t) => t.id);
      const completedBeforeLoss = afterLoss.tasks.filter((t) => t.status === 'COMPLETED' && !held.includes(t.id)).length;
      expect(done.length).toBe(held.length + completedBeforeLoss);
      expect(settled.tasks.filter((t) => t.status !== 'COMPLETED').map((t) => t.status)).toEqual(Array(SCOPES - done.length).fill('CREATED'));
      // Nothing half-written: a scope has all its rows or none.
      for (const t of settled.tasks) {
        const scope = String((t.options as { scope: string }).scope);
        const raw = Number(((await db.dal.knex('_raw_flaky_api_items').where('params', 'like', `%"${scope}"%`).count({ c: '*' })) as Array<{ c: unknown }>)[0]!.c);
        expect([scope, raw]).toEqual([scope, t.status === 'COMPLETED' ? PAGES * PAGE_SIZE : 0]);
      }
      const logs = () => started.map((w) => w.log()).join('\n');
      expect(logs()).toContain('queue connection lost');

      // Redis back on the same port, empty: the workers reconnect; running the pipeline again does the rest.
      redis = await startRedis(port);
      await until('the workers to reconnect', async () => (logs().split('queue connection back').length - 1 >= 2 ? true : undefined), 30_000);
      const summary = await runPipelineOnQueue({ dal: db.dal, pipelineId: id, redisUrl: queue, logger: memoryLogger(), pollMs: 200 });
      expect(summary.status).toBe('COMPLETED');
      // Every record of every scope once.
      for (const t of summary.tasks) {
        const scope = String((t.options as { scope: string }).scope);
        const rows = (await db.dal.knex('_raw_flaky_api_items').where('params', 'like', `%"${scope}"%`).select('data')) as Array<{ data: string }>;
        const ids = new Set(rows.map((r) => (JSON.parse(String(r.data)) as { id: number }).id));
        expect([scope, rows.length, ids.size]).toEqual([scope, PAGES * PAGE_SIZE, PAGES * PAGE_SIZE]);
      }
    } finally {
      for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGINT');
      await Promise.all(workers.map((w) => w.done.catch(() => undefined)));
      await kill(redis);
      await db.drop();
    }
  });
});
