import { createHash, randomBytes } from 'node:crypto';
import { freshDatabase, TEST_PG_URL } from 'devlake-ts/testing';
import type { TestDb } from 'devlake-ts/testing';
import { mapConfig, memoryLogger } from 'devlake-ts';
import { inProcessExecutor, preparePlan, runPipeline } from '../../src/pipeline/engine';
import type { PipelineSpec } from '../../src/pipeline/plan';
import { runPipelineOnQueue } from '../../src/pipeline/queue-run';
import { PipelineStore } from '../../src/pipeline/store';
import { spawnDevlake, type RunningCli } from '../cli/helpers';
import { dataDump, dumpDiff, FAULT_PLUGINS, flakyEnv } from '../faults/support/flaky-plugin';
import { startFlakyServer, type FlakyServer } from '../faults/support/flaky-server';

/**
 * Pipelines on BullMQ workers: real Redis (a key prefix per test), real
 * Postgres (a schema per database), `devlake worker` child processes, and a
 * local paginated API with latency. One worker is SIGKILLed in the middle of
 * a task: another one takes the task over once the job lock expires and
 * resumes it from the collector's page checkpoint.
 */
jest.setTimeout(120_000);

const REDIS = process.env.DEVLAKE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SCOPES = 20;
const PAGES = 8;
const PAGE_SIZE = 10;
const LOCK_MS = 5000; // long enough that a busy 2-core machine renews it in time
/** The token the worker to be killed sends: its requests are told apart from the others' by it. */
const VICTIM_TOKEN = 'victim-token';
/** Called for each page request once the latency has passed, before the answer (a test's hook). */
let onPage: ((req: { page: number; headers: Record<string, unknown> }) => Promise<void>) | undefined;

const plan = (): PipelineSpec => ({
  name: 'twenty scopes',
  // A connection per scope: scopes of one connection share item ids, and whichever task wrote an id last would own its
  // tool and domain rows, in an order that parallel tasks do not fix.
  plan: [Array.from({ length: SCOPES }, (_, i) => ({ plugin: 'flaky', options: { scope: `repo-${i + 1}`, connectionId: i + 1, pageSize: PAGE_SIZE } }))],
});

const queueUrl = (prefix: string) => `${REDIS}?prefix=${prefix}`;
const checksum = (lines: string[]) => createHash('sha256').update(lines.join('\n')).digest('hex');

async function dropPrefix(prefix: string): Promise<void> {
  const { default: Redis } = await import('ioredis');
  const r = new Redis(REDIS);
  const keys = await r.keys(`${prefix}:*`);
  if (keys.length) await r.del(...keys);
  r.disconnect();
}

/** Pages of the scope's unfinished collection already committed (ledger rows). */
async function committedPages(db: TestDb, scope: string): Promise<number> {
  const rows = (await db.dal.knex('_devlake_ts_raw_staging').where('params', 'like', `%"Scope":"${scope}"%`).count({ n: '*' })) as Array<{ n: unknown }>;
  return Number(rows[0]?.n ?? 0);
}

function startWorker(db: TestDb, prefix: string, env: Record<string, string>, onStderr?: (chunk: string, all: string) => void): { cli: RunningCli; ready: Promise<void> } {
  let ready!: () => void;
  const readyP = new Promise<void>((r) => (ready = r));
  const cli = spawnDevlake(['--db', db.url, 'worker', '--queue', queueUrl(prefix), '--lock-duration', String(LOCK_MS)], {
    env: { ...env, DEVLAKE_PLUGINS_PATH: FAULT_PLUGINS },
    timeoutMs: 120_000,
    onStderr: (chunk, _child, all) => {
      if (all.includes('worker ready')) ready();
      onStderr?.(chunk, all);
    },
  });
  // A worker that exits before it is ready fails the test with its stderr, instead of hanging it.
  const exited = cli.done.then((r) => Promise.reject(new Error(`worker exited (${r.code ?? r.signal}) before ready: ${r.stderr}`)));
  exited.catch(() => undefined);
  return { cli, ready: Promise.race([readyP, exited]) };
}

async function stopWorkers(workers: RunningCli[]): Promise<void> {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGINT');
  await Promise.all(workers.map((w) => w.done.catch(() => undefined)));
}

describe('pipelines on BullMQ workers (Redis + Postgres)', () => {
  let server: FlakyServer;

  beforeAll(async () => {
    server = await startFlakyServer({
      pages: PAGES,
      pageSize: PAGE_SIZE,
      maxRequests: 20_000,
      onRequest: async (req) => {
        await new Promise((r) => setTimeout(r, 40)); // latency per page
        await onPage?.(req);
      },
    });
  });
  afterAll(() => server.close());

  /** The same plan in process, computed once: the tables the workers must end with. */
  let referenceRun: Promise<{ dump: Awaited<ReturnType<typeof dataDump>>; counts: Record<string, number> }> | undefined;
  const reference = () => (referenceRun ??= (async () => {
    const db = await freshDatabase(TEST_PG_URL, 'qref');
    try {
      const spec = plan();
      await preparePlan(spec, { dal: db.dal, searchPath: [FAULT_PLUGINS] });
      const id = await new PipelineStore(db.dal).create(spec);
      const logger = memoryLogger();
      const config = mapConfig(flakyEnv(server.url, { FLAKY_API_TIMEOUT: '10s' }));
      const summary = await runPipeline({ dal: db.dal, pipelineId: id, parallel: 4, logger, executor: inProcessExecutor({ dal: db.dal, dbUrl: db.url, logger, config, searchPath: [FAULT_PLUGINS] }) });
      expect(summary.tasks.filter((t) => t.status !== 'COMPLETED').map((t) => t.error)).toEqual([]);
      return { dump: await dataDump(db.dal), counts: await counts(db) };
    } finally {
      await db.drop();
    }
  })());

  async function counts(db: TestDb): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const t of ['_raw_flaky_api_items', '_tool_flaky_items', 'issues']) out[t] = Number(((await db.dal.knex(t).count({ c: '*' })) as Array<{ c: unknown }>)[0].c);
    return out;
  }

  it.each([2, 3])('%i workers, one SIGKILLed mid-task: the same rows and checksums as the in-process run', async (n) => {
    const prefix = `dlt_q_${randomBytes(4).toString('hex')}`;
    const db = await freshDatabase(TEST_PG_URL, 'qkill');
    const env = flakyEnv(server.url, { FLAKY_API_TIMEOUT: '10s' });
    const workers: RunningCli[] = [];
    try {
      const spec = plan();
      await preparePlan(spec, { dal: db.dal, searchPath: [FAULT_PLUGINS] });
      const id = await new PipelineStore(db.dal).create(spec, { queue: prefix });
      // Worker 1 dies (SIGKILL, no clean-up) in the middle of the collection of its second task: while it waits for
      // a page past the third, once a page of that collection is committed (so there is a checkpoint to resume from).
      // A timer after the task's start was not enough: a collection can end within it.
      let seen = 0;
      let scope: string | undefined;
      const victim = startWorker(db, prefix, { ...env, FLAKY_TOKEN: VICTIM_TOKEN }, (chunk, all) => {
        seen += chunk.split('executing subtask Collect Items').length - 1;
        if (seen >= 2 && !scope) scope = [...all.matchAll(/"scope":"([^"]+)"/g)].at(-1)?.[1];
      });
      let killing = false;
      onPage = async (req) => {
        if (killing || !scope || req.page <= 3 || !String(req.headers.authorization ?? '').includes(VICTIM_TOKEN)) return;
        killing = true;
        for (let i = 0; i < 100 && !(await committedPages(db, scope)); i++) await new Promise((r) => setTimeout(r, 50));
        victim.cli.child.kill('SIGKILL');
      };
      workers.push(victim.cli);
      const others = Array.from({ length: n - 1 }, () => startWorker(db, prefix, env));
      workers.push(...others.map((o) => o.cli));
      await Promise.all([victim.ready, ...others.map((o) => o.ready)]);

      // The guard's timer is cleared once the pipeline ends: left running, it read the pipeline 80 s later from a
      // database the test had dropped, and the rejection failed whichever suite ran then ("Unable to acquire a connection").
      let guard: NodeJS.Timeout | undefined;
      const summary = await Promise.race([
        runPipelineOnQueue({ dal: db.dal, pipelineId: id, redisUrl: queueUrl(prefix), logger: memoryLogger(), pollMs: 200 }),
        new Promise<never>((_, reject) => {
          guard = setTimeout(() => {
            new PipelineStore(db.dal)
              .get(id)
              .then((p) => reject(new Error(`pipeline did not end: ${JSON.stringify(p.tasks.map((t) => [t.id, t.status, t.attempts, t.message]))}`)), reject);
          }, 80_000);
        }),
      ]).finally(() => clearTimeout(guard));
      onPage = undefined;
      const killed = await victim.cli.done;
      expect(killed.signal).toBe('SIGKILL');
      expect(summary.status).toBe('COMPLETED');
      expect(summary.tasks.every((t) => t.status === 'COMPLETED')).toBe(true);
      // The killed task ran twice: once on the dead worker, once where it resumed.
      expect(summary.tasks.filter((t) => t.attempts > 1).length).toBeGreaterThanOrEqual(1);
      const logs = (await Promise.all(workers.slice(1).map(async (w) => { await stopWorkers([w]); return (await w.done).stderr; }))).join('\n');
      expect(logs).toMatch(/resum/i);

      const ref = await reference();
      expect(await counts(db)).toEqual(ref.counts);
      const dump = await dataDump(db.dal);
      expect(dumpDiff(dump, ref.dump)).toEqual({ raw: 'same', tool: 'same', domain: 'same' });
      expect([checksum(dump.raw), checksum(dump.tool), checksum(dump.domain)]).toEqual([checksum(ref.dump.raw), checksum(ref.dump.tool), checksum(ref.dump.domain)]);
    } finally {
      onPage = undefined;
      await stopWorkers(workers);
      await db.drop();
      await dropPrefix(prefix);
    }
  });

  it('cancel reaches running tasks on every worker within seconds and records them CANCELLED', async () => {
    const prefix = `dlt_q_${randomBytes(4).toString('hex')}`;
    const db = await freshDatabase(TEST_PG_URL, 'qcancel');
    const env = flakyEnv(server.url, { FLAKY_API_TIMEOUT: '10s' });
    const workers: RunningCli[] = [];
    try {
      const spec: PipelineSpec = { plan: [[1, 2, 3, 4].map((i) => ({ plugin: 'flaky', subtasks: ['Extract Items'], options: { scope: `c-${i}` } }))] };
      spec.plan[0].forEach((t) => (t.subtasks = undefined));
      await preparePlan(spec, { dal: db.dal, searchPath: [FAULT_PLUGINS] });
      const store = new PipelineStore(db.dal);
      const id = await store.create(spec, { queue: prefix });
      const started = [startWorker(db, prefix, { ...env, FLAKY_HOLD_AT: 'Extract Items:1' }), startWorker(db, prefix, { ...env, FLAKY_HOLD_AT: 'Extract Items:1' })];
      workers.push(...started.map((s) => s.cli));
      await Promise.all(started.map((s) => s.ready));
      const controller = new AbortController();
      const run = runPipelineOnQueue({ dal: db.dal, pipelineId: id, redisUrl: queueUrl(prefix), logger: memoryLogger(), signal: controller.signal, pollMs: 100 });
      // Both workers hold a task (each holds at its first extracted record until cancelled).
      for (let i = 0; i < 600; i++) {
        const p = await store.get(id);
        if (p.tasks.filter((t) => t.status === 'RUNNING').length >= 2) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 300));
      const t0 = Date.now();
      controller.abort(); // Ctrl-C on the enqueuing command
      const summary = await run;
      expect(Date.now() - t0).toBeLessThan(10_000);
      expect(summary.status).toBe('CANCELLED');
      expect(summary.tasks.map((t) => t.status)).toEqual(['CANCELLED', 'CANCELLED', 'CANCELLED', 'CANCELLED']);
      const logs = await Promise.all(workers.map(async (w) => { await stopWorkers([w]); return (await w.done).stderr; }));
      // Each worker was running a task when the cancel came.
      for (const log of logs) expect(log).toContain('cancel requested, stopping task');
    } finally {
      await stopWorkers(workers);
      await db.drop();
      await dropPrefix(prefix);
    }
  });

  it('Redis down at start: DEVLAKE_E_QUEUE_CONNECT, nothing enqueued', async () => {
    const res = await spawnDevlake(['worker', '--queue', 'redis://127.0.0.1:1'], { timeoutMs: 20_000 }).done;
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('DEVLAKE_E_QUEUE_CONNECT');
  });
});
