import { randomBytes } from 'node:crypto';
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
import { dropPrefix, redisDump } from './support/redis-dump';

/**
 * The API rate limit shared by three `devlake worker` processes (real Redis
 * with a key prefix of its own, real Postgres, a local API that notes when
 * each request arrives). Three tasks run at once, one per worker (each
 * worker runs one task at a time); each asks for its own page size, so the
 * API tells the workers' requests apart. Then one worker gets a 429 with
 * Retry-After: 2, and every worker must hold its requests. The run is then
 * cancelled: the test is bounded in time, not by how long the collection is.
 * Last, every key and value the run left in Redis is read: the token is in none.
 */
jest.setTimeout(120_000);

const REDIS = process.env.DEVLAKE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PER_SECOND = 20; // burst: 2 (a tenth of a second's budget)
const MEASURE_MS = 4000; // three workers collecting before the 429
const RETRY_AFTER_S = 2;

interface Arrival {
  t: number;
  perPage: number;
}

/** The most arrivals in any window of `ms` starting at an arrival. */
function busiest(times: number[], ms: number): number {
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (j < times.length && times[j] < times[i] + ms) j++;
    best = Math.max(best, j - i);
  }
  return best;
}

function startWorker(db: TestDb, queue: string, env: Record<string, string>): { cli: RunningCli; ready: Promise<void> } {
  let ready!: () => void;
  const readyP = new Promise<void>((r) => (ready = r));
  const cli = spawnDevlake(['--db', db.url, 'worker', '--queue', queue, '--lock-duration', '5000'], {
    env: { ...env, DEVLAKE_PLUGINS_PATH: FAULT_PLUGINS },
    timeoutMs: 110_000,
    onStderr: (_chunk, _child, all) => {
      if (all.includes('worker ready')) ready();
    },
  });
  const exited = cli.done.then((r) => Promise.reject(new Error(`worker exited (${r.code ?? r.signal}) before ready: ${r.stderr}`)));
  exited.catch(() => undefined);
  return { cli, ready: Promise.race([readyP, exited]) };
}

describe('the API rate limit shared by queue workers (Redis + Postgres)', () => {
  let server: FlakyServer;
  const arrivals: Arrival[] = [];
  /** Set once the test wants the 429: the next request of the page-size-1 task gets it. */
  let armed = false;
  let sent429: number | undefined;

  beforeAll(async () => {
    server = await startFlakyServer({
      pages: 3000, // items: far more than the test collects before it cancels
      pageSize: 1,
      maxRequests: 5000,
      onRequest: async (req) => {
        arrivals.push({ t: Date.now(), perPage: req.perPage });
        await new Promise((r) => setTimeout(r, 30)); // latency: requests overlap, as against a real API
      },
      override: (req) => {
        if (!armed || sent429 !== undefined || req.perPage !== 1) return undefined;
        sent429 = Date.now();
        return { status: 429, headers: { 'retry-after': String(RETRY_AFTER_S) }, body: JSON.stringify({ message: 'slow down' }) };
      },
    });
  });
  afterAll(() => server.close());

  it('three workers stay within the limit, a Retry-After seen by one holds all, and Redis never holds the token', async () => {
    const prefix = `dlt_qrl_${randomBytes(4).toString('hex')}`;
    const queue = `${REDIS}?prefix=${prefix}`;
    const token = `ghp_${randomBytes(12).toString('hex')}`;
    const db = await freshDatabase(TEST_PG_URL, 'qrate');
    const env = flakyEnv(server.url, { FLAKY_API_TIMEOUT: '10s', FLAKY_API_REQUESTS_PER_HOUR: String(PER_SECOND * 3600), FLAKY_TOKEN: token });
    delete env.FLAKY_API_RETRY_BASE_MS; // it also caps waits at 1 s: the plugin's default (1 h) lets the 2 s Retry-After be
    const workers: RunningCli[] = [];
    try {
      const spec: PipelineSpec = { plan: [[1, 2, 3].map((size) => ({ plugin: 'flaky', subtasks: ['Collect Items'], options: { scope: `rl-${size}`, pageSize: size } }))] };
      await preparePlan(spec, { dal: db.dal, searchPath: [FAULT_PLUGINS] });
      const store = new PipelineStore(db.dal);
      const id = await store.create(spec, { queue: prefix });
      const started = [1, 2, 3].map(() => startWorker(db, queue, env));
      workers.push(...started.map((s) => s.cli));
      await Promise.all(started.map((s) => s.ready));
      const controller = new AbortController();
      const run = runPipelineOnQueue({ dal: db.dal, pipelineId: id, redisUrl: queue, logger: memoryLogger(), signal: controller.signal, pollMs: 100 });

      // The three tasks run at once, so on three workers: each page size reaches the API.
      const t0 = Date.now();
      while (new Set(arrivals.map((a) => a.perPage)).size < 3) {
        if (Date.now() - t0 > 60_000) throw new Error(`not all three tasks reached the API: ${JSON.stringify((await store.get(id)).tasks.map((t) => [t.status, t.message]))}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const from = Date.now();
      await new Promise((r) => setTimeout(r, MEASURE_MS));
      armed = true;
      while (sent429 === undefined) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, RETRY_AFTER_S * 1000 + 1500));
      controller.abort(); // cancel: the collection is far from done, and need not be
      const summary = await run;
      expect(summary.status).toBe('CANCELLED');

      // Within the limit: over the measured span (4 s or more), the budget plus its burst (2), and 2 for
      // requests let through at its edges; in any 1 s window, the budget plus the burst and 3 more: requests
      // Redis spaced 50 ms apart reach the API tens of ms sooner or later (event loops of loaded processes).
      // Unshared, three workers would send 3× the budget.
      const window = arrivals.filter((a) => a.t >= from && a.t < sent429!);
      const times = window.map((a) => a.t);
      const span = sent429! - from;
      expect(times.length).toBeLessThanOrEqual((PER_SECOND * span) / 1000 + 2 + 2);
      expect(busiest(times, 1000)).toBeLessThanOrEqual(PER_SECOND + 2 + 3);
      const rate = (times.length * 1000) / span;
      // …and the three shared it (each alone would have spent the whole budget), all busy.
      expect(rate).toBeGreaterThan(PER_SECOND * 0.5);
      for (const size of [1, 2, 3]) expect(window.filter((a) => a.perPage === size).length).toBeGreaterThan(5);

      // Retry-After on one worker's request: none of the three sends anything until it has passed
      // (250 ms for requests already on their way when the 429 left).
      const during = arrivals.filter((a) => a.t > sent429! + 250 && a.t < sent429! + RETRY_AFTER_S * 1000 - 100);
      expect(during.map((a) => `${a.perPage}@${a.t - sent429!}`)).toEqual([]);
      const after = arrivals.filter((a) => a.t >= sent429! + RETRY_AFTER_S * 1000 - 100);
      expect(new Set(after.map((a) => a.perPage)).size).toBeGreaterThanOrEqual(2);

      // No secret in Redis: not in a key, not in a value, whatever its type.
      const dump = await redisDump(REDIS, prefix);
      expect(dump.keys.some((k) => k.includes(':ratelimit:'))).toBe(true);
      expect(dump.keys.some((k) => k.includes(':devlake-tasks:'))).toBe(true);
      expect(dump.text).not.toContain(token);
      expect(dump.text).not.toContain(token.slice(4)); // nor its body without the ghp_ prefix
    } finally {
      for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGINT');
      const logs = await Promise.all(workers.map((w) => w.done.then((r) => r.stderr, () => '')));
      expect(logs.join('\n')).not.toContain(token);
      await db.drop();
      await dropPrefix(REDIS, prefix);
    }
  });
});
