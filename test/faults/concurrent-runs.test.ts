import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Dal } from 'devlake-ts';
import { databases, type TestDb } from 'devlake-ts/testing';
import { spawnDevlake, type RunningCli } from '../cli/helpers';
import { addFigures } from './support/figures';
import { FAULT_PLUGINS, flakyEnv, rawIds, TOOL_TABLE, DOMAIN_TABLE } from './support/flaky-plugin';
import { startFlakyServer, type FlakyServer } from './support/flaky-server';

/**
 * Issue 13 item 1 ("done when"): two, then five, `devlake run` of one plugin
 * and scope started at once on one fresh database, against a local paginated
 * API. Without a run lock they all collected into the same raw table and
 * resumed each other's checkpoint (20 rows kept of 2,000). Wanted: exactly
 * the expected rows, one run COMPLETED and the others refused with
 * DEVLAKE_E_RUN_LOCKED (or, with --wait, run one after the other), and the
 * second process on a fresh database waiting for the migrations instead of
 * failing with "table already exists". A SIGKILLed run's lock is taken over
 * and its task marked FAILED (item 4).
 */

const PAGES = 20;
const PAGE_SIZE = 10;
const OPTIONS = JSON.stringify({ pageSize: PAGE_SIZE });
const HOLD_LIMIT_MS = 20_000; // the most the server holds a page while the other runs are still alive

interface TaskRow {
  id: number | string;
  status: string;
  began_at: unknown;
  finished_at: unknown;
  message: string | null;
  error_code: string | null;
}

const count = async (dal: Dal, table: string) => Number((await dal.knex(table).count({ n: '*' }))[0].n);
const time = (v: unknown) => new Date(v as string).getTime();

describe.each(databases())('concurrent runs of one plugin and scope on $name', (target) => {
  let db: TestDb;
  let server: FlakyServer;
  let cwd: string;
  /** Resolved when the runs the server waits for have ended; pages are held until then. */
  let gate: Promise<unknown> = Promise.resolve();

  beforeAll(async () => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-concurrent-'));
    server = await startFlakyServer({
      pages: PAGES,
      pageSize: PAGE_SIZE,
      maxRequests: 10_000,
      onRequest: async () => {
        await gate;
        await new Promise((r) => setTimeout(r, 5)); // a page takes a little while, as over a network
      },
    });
  });
  afterAll(async () => {
    await server?.close();
    fs.rmSync(cwd, { recursive: true, force: true });
  });
  beforeEach(async () => {
    db = await target.open();
  });
  afterEach(async () => {
    gate = Promise.resolve();
    await db?.drop();
  });

  // A long client timeout: a page held by the gate must not be retried.
  const env = () => ({ DB_URL: db.url, DEVLAKE_PLUGINS_PATH: FAULT_PLUGINS, ...flakyEnv(server.url, { FLAKY_API_TIMEOUT: '60s' }) });
  const start = (extra: string[] = [], timeoutMs = 90_000): RunningCli => spawnDevlake(['run', 'flaky', '--options', OPTIONS, ...extra], { cwd, env: env(), timeoutMs });

  async function expectExactData(): Promise<void> {
    const { ids, duplicates } = await rawIds(db.dal);
    expect({ duplicates, ids: ids.length, first: ids[0], last: ids[ids.length - 1] }).toEqual({ duplicates: 0, ids: PAGES * PAGE_SIZE, first: 1, last: PAGES * PAGE_SIZE });
    expect(await count(db.dal, '_raw_flaky_api_items')).toBe(PAGES * PAGE_SIZE);
    expect(await count(db.dal, TOOL_TABLE)).toBe(PAGES * PAGE_SIZE);
    expect(Number((await db.dal.knex(DOMAIN_TABLE).where('id', 'like', 'flaky:%').count({ n: '*' }))[0].n)).toBe(PAGES * PAGE_SIZE);
  }

  it.each([2, 5])('%i runs at once on a fresh database: one COMPLETED, the others refused naming the holder', async (n) => {
    // Each run's pages are held until every other run has ended: a run that was not refused would
    // still be collecting when the first one completes (and the gate opens after HOLD_LIMIT_MS at worst).
    const runs: RunningCli[] = [];
    let ended = 0;
    let openGate!: () => void;
    gate = new Promise<void>((resolve) => {
      openGate = resolve;
      setTimeout(resolve, HOLD_LIMIT_MS).unref();
    });
    for (let i = 0; i < n; i++) {
      const run = start();
      run.done.then(
        () => ++ended >= n - 1 && openGate(),
        () => ++ended >= n - 1 && openGate(),
      );
      runs.push(run);
    }
    const results = await Promise.all(runs.map((r) => r.done));
    const completed = results.filter((r) => r.code === 0);
    const refused = results.filter((r) => r.code !== 0);
    expect(completed).toHaveLength(1);
    expect(refused).toHaveLength(n - 1);
    for (const r of refused) {
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 1, stderr: expect.stringContaining('Error [DEVLAKE_E_RUN_LOCKED]') });
      expect(r.stderr).toMatch(/already in progress: pid \d+ on host \S+ \(devlake run flaky \{"pageSize":10\}\), started \d{4}-\d\d-\d\dT/);
      expect(r.stderr).toContain('--wait');
      expect(r.stderr).not.toContain('already exists'); // the migrations were waited for, not raced
    }
    const tasks = (await db.dal.knex('_devlake_ts_tasks').select('*')) as TaskRow[];
    expect(tasks.map((t) => t.status)).toEqual(['COMPLETED']); // refused runs record nothing
    await expectExactData();
    expect(await count(db.dal, '_devlake_ts_locks')).toBe(0); // released
    addFigures('concurrent-runs', { [`concurrent_${n}_completed`]: completed.length, [`concurrent_${n}_refused`]: refused.length });
  }, 180_000);

  it('5 runs at once with --wait: each runs in turn, never two at a time, and the data is exact', async () => {
    const runs = Array.from({ length: 5 }, () => start(['--wait'], 150_000));
    const results = await Promise.all(runs.map((r) => r.done));
    expect(results.map((r) => (r.code === 0 ? 0 : r.stderr))).toEqual([0, 0, 0, 0, 0]);
    const tasks = ((await db.dal.knex('_devlake_ts_tasks').select('*')) as TaskRow[]).sort((a, b) => time(a.began_at) - time(b.began_at));
    expect(tasks.map((t) => t.status)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED']);
    for (let i = 1; i < tasks.length; i++) {
      // The next run began only after the previous one finished.
      expect(time(tasks[i].began_at)).toBeGreaterThanOrEqual(time(tasks[i - 1].finished_at));
    }
    expect(results.filter((r) => r.stderr.includes('waiting for a run of "flaky" with these options')).length).toBeGreaterThanOrEqual(1);
    await expectExactData();
    addFigures('concurrent-runs', { concurrent_wait_completed: 5 });
  }, 240_000);

  it('a SIGKILLed run: the next run takes its lock over at once and marks its task FAILED', async () => {
    let killed = false;
    const victim = spawnDevlake(['run', 'flaky', '--options', OPTIONS], {
      cwd,
      env: { ...env(), FLAKY_HOLD_AT: 'Extract Items:5' }, // same options as the next run: the same lock
      timeoutMs: 90_000,
      onStderr: (_chunk, child, all) => {
        if (!killed && all.includes('holding at Extract Items record 5')) {
          killed = true;
          child.kill('SIGKILL');
        }
      },
    });
    expect((await victim.done).signal).toBe('SIGKILL');
    const [left] = (await db.dal.knex('_devlake_ts_tasks').select('*')) as TaskRow[];
    expect(left.status).toBe('RUNNING');
    expect(await count(db.dal, '_devlake_ts_locks')).toBe(1); // the killed run could not release it

    const t0 = Date.now();
    const next = await start().done;
    expect({ code: next.code, stderr: next.code === 0 ? '' : next.stderr }).toEqual({ code: 0, stderr: '' });
    expect(Date.now() - t0).toBeLessThan(60_000); // not after the 60 s heartbeat expiry: the holder was known dead
    const tasks = (await db.dal.knex('_devlake_ts_tasks').orderBy('id').select('*')) as TaskRow[];
    expect(tasks.map((t) => t.status)).toEqual(['FAILED', 'COMPLETED']);
    expect(tasks[0].error_code).toBe('DEVLAKE_E_RUN_ABANDONED');
    expect(tasks[0].message).toMatch(/stopped without finishing \(pid \d+ on host/);
    const [pipeline] = await db.dal.knex('_devlake_ts_pipelines').orderBy('id').select('status');
    expect(pipeline.status).toBe('FAILED');
    const subtasks = await db.dal.knex('_devlake_ts_subtasks').where({ task_id: tasks[0].id }).orderBy('number').select('status');
    expect(subtasks.map((r: { status: string }) => r.status)).toEqual(['COMPLETED', 'FAILED', 'CREATED']);
    await expectExactData();
  }, 120_000);
});
