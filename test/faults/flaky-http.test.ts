import { createDal, type Dal } from 'devlake-ts';
import { RAW_STAGING_TABLE } from '../../src/helpers/raw-staging';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { databases } from 'devlake-ts/testing';
import { addFigures } from './support/figures';
import { FAULT_KINDS, pageItems, startFlakyServer, type FlakyServer, type OverrideReply, type PageRequest } from './support/flaky-server';
import { dataDump, dumpDiff, FAULT_PLUGINS, flakyEnv, migrateFlaky, RAW_TABLE, rawIds, runFlaky } from './support/flaky-plugin';
import { useFlakyFixture } from './support/flaky-fixture';
import { spawnDevlake } from '../cli/helpers';

/**
 * A real HTTP server on 127.0.0.1 that fails on purpose (seeded): the
 * collection must end with exactly the expected records, and a run that
 * cannot succeed must end FAILED naming the cause and the URL while the
 * previous run's data stays intact.
 */

const SEED = 20240901;
const SAME = { raw: 'same', tool: 'same', domain: 'same' };

describe.each(databases())('flaky HTTP on $name', (target) => {
  const f = useFlakyFixture(target);

  it('1,000 pages with 10% 5xx, 5% 429 + Retry-After, 2% resets, 1% stalls: every record stored once', async () => {
    const pages = 1000;
    const pageSize = 5;
    f.server = await startFlakyServer({
      pages,
      pageSize,
      seed: SEED,
      faultRates: { status5xx: 0.1, status429: 0.05, reset: 0.02, stall: 0.01 },
      retryAfter: '0.005',
    });
    const { summary, error } = await runFlaky(f.db.dal, flakyEnv(f.server.url), { pageSize });
    expect(error).toBeUndefined();
    expect(summary.status).toBe('COMPLETED');

    expect(f.server.stats.faults).toEqual({ status5xx: 100, status429: 50, reset: 20, stall: 10 });
    // Each page is served at least once; one answered just after the client's 250 ms timeout (a loaded
    // machine) is asked again, so exact equality would test the machine's load. Records are checked exactly below.
    expect(f.server.stats.pagesServed).toBeGreaterThanOrEqual(pages);
    expect(f.server.stats.pagesServed).toBeLessThan(pages * 1.05);
    const expected = f.server.expectedItems();
    const { ids, duplicates } = await rawIds(f.db.dal);
    expect(duplicates).toBe(0);
    expect(ids).toEqual(expected.map((i) => i.id));
    // The stored records are the served ones, byte for byte.
    const stored = (await f.db.dal.knex(RAW_TABLE).select('data')) as Array<{ data: string }>;
    expect(stored.map((r) => String(r.data)).sort()).toEqual(expected.map((i) => JSON.stringify(i)).sort());
    const dump = await dataDump(f.db.dal);
    expect(dump.tool).toHaveLength(expected.length);
    expect(dump.domain).toHaveLength(expected.length);

    addFigures('flaky-http', {
      pages_served: f.server.stats.pagesServed,
      requests: f.server.stats.requests,
      ...Object.fromEntries(FAULT_KINDS.map((k) => [`faults_${k}`, f.server!.stats.faults[k]])),
      records_expected: expected.length,
      records_stored: stored.length,
      duplicates,
    });
  }, 120_000);

  it('a run recorded through faults replays offline to the same tables', async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-flaky-rec-'));
    // Fresh databases migrated by the CLI (checksums come from the code that checks them).
    const live = await target.open();
    const other = await target.open();
    try {
      f.server = await startFlakyServer({
        pages: 30,
        pageSize: 4,
        seed: SEED,
        faultRates: { status5xx: 0.2, status429: 0.1, reset: 0.1, stall: 0.05 },
        retryAfter: '0.005',
      });
      const cassette = path.join(cwd, 'flaky.cassette.json');
      const env = { DEVLAKE_PLUGINS_PATH: FAULT_PLUGINS, ...flakyEnv(f.server.url) };
      const options = ['--options', '{"pageSize":4}'];
      const recorded = await spawnDevlake(['run', 'flaky', '--record', cassette, ...options], { cwd, env: { ...env, DB_URL: live.url } }).done;
      expect({ code: recorded.code, stderr: recorded.code === 0 ? '' : recorded.stderr }).toEqual({ code: 0, stderr: '' });
      const faults = Object.values(f.server.stats.faults).reduce((a, b) => a + b, 0);
      expect(faults).toBeGreaterThan(0);
      await f.server.close();
      f.server = undefined;
      // The API is gone: the replay must answer every request from the cassette.
      const replayed = await spawnDevlake(['run', 'flaky', '--replay', cassette, ...options], { cwd, env: { ...env, DB_URL: other.url } }).done;
      expect({ code: replayed.code, stderr: replayed.code === 0 ? '' : replayed.stderr }).toEqual({ code: 0, stderr: '' });
      const recordedData = await dataDump(live.dal);
      expect(recordedData.raw).toHaveLength(120);
      expect(dumpDiff(await dataDump(other.dal), recordedData)).toEqual(SAME);
      addFigures('flaky-http', { recorded_through_faults_replayed_identical: 1 });
    } finally {
      await live.drop();
      await other.drop();
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });

  /** A good run, then a run that fails on page 3: FAILED naming cause and URL, old data intact. */
  async function failingSecondRun(fail: (req: PageRequest) => OverrideReply | undefined, env: Record<string, string> = {}) {
    let failing = false;
    f.server = await startFlakyServer({ pages: 6, pageSize: 4, seed: SEED, override: (req) => (failing ? fail(req) : undefined) });
    const first = await runFlaky(f.db.dal, flakyEnv(f.server.url, env), { pageSize: 4 });
    expect(first.summary.status).toBe('COMPLETED');
    const before = await dataDump(f.db.dal);
    expect(before.raw).toHaveLength(24);
    failing = true;
    const second = await runFlaky(f.db.dal, flakyEnv(f.server.url, env), { pageSize: 4 });
    expect(second.summary.status).toBe('FAILED');
    const [subtask] = await f.db.dal.knex('_devlake_ts_subtasks').where({ task_id: second.summary.taskId, name: 'Collect Items' });
    const [task] = await f.db.dal.knex('_devlake_ts_tasks').where({ id: second.summary.taskId });
    expect(subtask.status).toBe('FAILED');
    expect(task.status).toBe('FAILED');
    expect(dumpDiff(await dataDump(f.db.dal), before)).toEqual(SAME);
    addFigures('flaky-http', { failed_runs_previous_data_intact: 1 });
    return { error: second.error!, subtask, task, server: f.server };
  }

  it('a page of malformed JSON fails the run with the URL and the start of the body; the previous data stays', async () => {
    const { error, subtask, task } = await failingSecondRun((req) =>
      req.page === 3 ? { status: 200, body: '{"total_pages": 6, "items": [{"id": 9, "title": "cut' } : undefined,
    );
    expect(error.code).toBe('DEVLAKE_E_API_JSON');
    for (const text of [error.message, String(subtask.message), String(task.message)]) {
      expect(text).toContain('/items?page=3');
      expect(text).toContain('"total_pages": 6');
    }
    expect(subtask.error_code).toBe('DEVLAKE_E_API_JSON');
    addFigures('flaky-http', { faults_malformed_json: 1 });
  });

  it('a page nested 100,000 deep fails with DEVLAKE_E_API_JSON naming the URL; the previous data stays', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const { error, subtask } = await failingSecondRun((req) => (req.page === 2 ? { status: 200, body: `{"total_pages": 6, "items": [${deep}]}` } : undefined));
    expect(error.code).toBe('DEVLAKE_E_API_JSON');
    for (const text of [error.message, String(subtask.message)]) {
      expect(text).toContain('/items?page=2');
      expect(text).toContain('nested deeper than 1000 levels');
    }
    expect(subtask.error_code).toBe('DEVLAKE_E_API_JSON');
    addFigures('flaky-http', { faults_deep_json: 1 });
  });

  it('pages sent gzip, deflate or br (Content-Encoding) are decoded: the same tables as plain pages', async () => {
    let encode = false;
    const codings: Array<[string, (b: Buffer) => Buffer]> = [
      ['gzip', (b) => zlib.gzipSync(b)],
      ['deflate', (b) => zlib.deflateSync(b)],
      ['br', (b) => zlib.brotliCompressSync(b)],
    ];
    f.server = await startFlakyServer({
      pages: 6,
      pageSize: 4,
      seed: SEED,
      override: (req) => {
        if (!encode) return undefined;
        const [name, compress] = codings[req.page % codings.length];
        const body = JSON.stringify({ total_pages: 6, items: pageItems(req.page, 4, 24) });
        return { status: 200, headers: { 'content-encoding': name }, body: compress(Buffer.from(body)) };
      },
    });
    const plain = await runFlaky(f.db.dal, flakyEnv(f.server.url), { pageSize: 4 });
    expect(plain.summary.status).toBe('COMPLETED');
    const before = await dataDump(f.db.dal);
    encode = true;
    const encoded = await runFlaky(f.db.dal, flakyEnv(f.server.url), { pageSize: 4 });
    expect(encoded.summary).toMatchObject({ status: 'COMPLETED' });
    expect(f.server.stats.overrides).toBe(6);
    expect(dumpDiff(await dataDump(f.db.dal), before)).toEqual(SAME);
    addFigures('flaky-http', { compressed_pages_decoded: 6 });
  });

  it('an error body with terminal escape sequences reaches stderr without them', async () => {
    const hostile = '\x1b[2J\x1b[H\x1b]0;owned\x07gone\x00\x9b31m for good';
    f.server = await startFlakyServer({ pages: 2, pageSize: 4, override: () => ({ status: 404, body: hostile }) });
    const r = await spawnDevlake(['run', 'flaky', '--options', '{"pageSize":4}'], {
      env: { ...flakyEnv(f.server.url), DB_URL: f.db.url, DEVLAKE_PLUGINS_PATH: FAULT_PLUGINS },
    }).done;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Error [DEVLAKE_E_API_NOT_FOUND]');
    expect(r.stderr).toContain('gone');
    // Nothing but text, tab and newline reaches the terminal.
    expect(r.stderr).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    expect(r.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  });

  it('each retry is logged at warn (status, attempt n/max, delay, URL without the key); a wait over 1 s at info with its cause', async () => {
    f.server = await startFlakyServer({
      pages: 4,
      pageSize: 4,
      seed: SEED,
      override: (req) => {
        if (req.page === 2 && req.attempt === 1) return { status: 503, body: '{"message":"busy"}' };
        if (req.page === 3 && req.attempt === 1) return { status: 429, headers: { 'retry-after': '1.2' }, body: '{"message":"slow down"}' };
        return undefined;
      },
    });
    // The client's default delays: a 1.2 s Retry-After is waited for whole (not capped at the suite's tiny maximum).
    const env: Record<string, string | undefined> = flakyEnv(`${f.server.url}?api_key=KEY-5ecret-42`);
    delete env.FLAKY_API_RETRY_BASE_MS;
    const run = await runFlaky(f.db.dal, env as Record<string, string>, { pageSize: 4 });
    expect(run.summary.status).toBe('COMPLETED');
    const warns = run.lines.filter((l) => l.startsWith('WARN'));
    expect(warns).toEqual([
      expect.stringMatching(/^WARN \[flaky\] GET http:\/\/127\.0\.0\.1:\d+\/items\?api_key=\*\*\*&page=2&per_page=4 answered 503; retrying in \d+ ms \(attempt 2\/5\)$/),
      expect.stringMatching(/^WARN \[flaky\] GET \S+\?api_key=\*\*\*&page=3&per_page=4 answered 429; retrying in 1\.\d s \(attempt 2\/5, Retry-After: 1\.2\)$/),
    ]);
    expect(run.lines.filter((l) => l.includes('rate limited'))).toEqual([
      expect.stringMatching(/^INFO \[flaky\] rate limited: Retry-After: 1\.2 → waiting 1\.\d s, until \d\d:\d\d:\d\d UTC \(GET \S+page=3\S*\)$/),
    ]);
    expect(run.lines.join('\n')).not.toContain('KEY-5ecret-42');
  });

  it('a Retry-After longer than <PLUGIN>_API_MAX_WAIT fails at once with DEVLAKE_E_API_RATE_LIMITED', async () => {
    const started = Date.now();
    const { error, subtask } = await failingSecondRun((req) =>
      req.page === 3 ? { status: 429, headers: { 'retry-after': '3600' }, body: '{"message":"come back in an hour"}' } : undefined,
    );
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(error.code).toBe('DEVLAKE_E_API_RATE_LIMITED');
    expect(error.message).toContain('/items?page=3');
    expect(error.message).toContain('the API asks to wait 1 h (Retry-After: 3600), more than FLAKY_API_MAX_WAIT (15 min)');
    expect(error.hint).toMatch(/^Run again after \d\d:\d\d:\d\d UTC \(completed pages are kept\), or raise FLAKY_API_MAX_WAIT/);
    expect(subtask.error_code).toBe('DEVLAKE_E_API_RATE_LIMITED');
  });

  it('an API that keeps failing past the retry budget fails the run with the URL and the last status', async () => {
    const { error, subtask, server: s } = await failingSecondRun(
      (req) => (req.page === 4 ? { status: 503, body: JSON.stringify({ message: 'down for maintenance' }) } : undefined),
      { FLAKY_API_RETRY: '2' },
    );
    expect(error.code).toBe('DEVLAKE_E_API_RETRIES_EXHAUSTED');
    for (const text of [error.message, String(subtask.message)]) {
      expect(text).toContain('/items?page=4');
      expect(text).toContain('503');
      expect(text).toContain('down for maintenance');
    }
    expect(subtask.error_code).toBe('DEVLAKE_E_API_RETRIES_EXHAUSTED');
    // 1 attempt + 2 retries for page 4 in the failing run (page 4 was served once by the good run).
    expect(s.stats.overrides).toBe(3);
    addFigures('flaky-http', { faults_retry_budget: 1 });
  });
});

const postgres = databases().filter((d) => d.name === 'postgres');
if (postgres.length > 0) {
  describe.each(postgres)('database connection killed mid-run on $name', (target) => {
    it('pg_terminate_backend of our connection during a page commit: FAILED with the cause, previous data intact', async () => {
      const db = await target.open();
      const app = `devlake_faults_${process.pid}_${Date.now().toString(36)}`;
      const driverMessages: string[] = [];
      const runDal: Dal = await createDal(`${db.url}&application_name=${app}`, { onDriverMessage: (level, m) => driverMessages.push(`${level}: ${m}`) });
      let server: FlakyServer | undefined;
      try {
        await migrateFlaky(runDal);
        let kill = false;
        let killed = 0;
        // Lock the staging table before page 5 is answered, so saving it blocks; terminate the blocked
        // connection of ours; release the lock.
        let killing: Promise<void> | undefined;
        const lockThenKill = async (): Promise<void> => {
          const lock = await db.dal.knex.transaction();
          await lock.raw('LOCK TABLE ?? IN ACCESS EXCLUSIVE MODE', [RAW_STAGING_TABLE]);
          killing = (async () => {
            try {
              for (let i = 0; i < 500 && killed === 0; i++) {
                const r = await db.dal.knex.raw(
                  `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = ? AND wait_event_type = 'Lock'`,
                  [app],
                );
                killed += (r.rows as Array<{ ok: boolean }>).filter((x) => x.ok).length;
                if (killed === 0) await new Promise((res) => setTimeout(res, 10));
              }
            } finally {
              await lock.rollback().catch(() => undefined);
            }
          })();
        };
        server = await startFlakyServer({
          pages: 8,
          pageSize: 4,
          seed: SEED,
          onRequest: async (req) => {
            if (kill && req.page === 5 && !killing) await lockThenKill();
          },
        });
        const first = await runFlaky(runDal, flakyEnv(server.url), { pageSize: 4 });
        expect(first.summary.status).toBe('COMPLETED');
        const before = await dataDump(db.dal);
        expect(before.raw).toHaveLength(32);
        kill = true;
        // knex reports the dropped connection itself: to the Dal's handler (the CLI logs it at debug level),
        // never to stdout, where `devlake run --json` prints its summary.
        const stdoutLog = jest.spyOn(console, 'log');
        let second: Awaited<ReturnType<typeof runFlaky>>;
        try {
          second = await runFlaky(runDal, flakyEnv(server.url), { pageSize: 4 });
          await killing;
        } finally {
          stdoutLog.mockRestore();
        }
        expect(stdoutLog).not.toHaveBeenCalled();
        expect(driverMessages).toEqual([expect.stringMatching(/^warn: Connection Error: \S/)]);
        expect(killed).toBeGreaterThan(0);
        expect(second.summary.status).toBe('FAILED');
        const [subtask] = await db.dal.knex('_devlake_ts_subtasks').where({ task_id: second.summary.taskId, name: 'Collect Items' });
        expect(subtask.status).toBe('FAILED');
        // The cause (the connection was terminated) and the URL of the page being saved, in the error and the row.
        for (const text of [second.error!.message, String(subtask.message)]) {
          expect(text).toMatch(/terminat/i);
          expect(text).toMatch(/\/items\?page=\d+/);
        }
        expect(dumpDiff(await dataDump(db.dal), before)).toEqual(SAME);
        // A later run resumes and completes with the same data.
        const third = await runFlaky(runDal, flakyEnv(server.url), { pageSize: 4 });
        expect(third.summary.status).toBe('COMPLETED');
        expect(dumpDiff(await dataDump(db.dal), before)).toEqual(SAME);
        addFigures('flaky-http', { faults_db_killed: killed, failed_runs_previous_data_intact: 1 });
      } finally {
        await server?.close();
        await runDal.close();
        await db.drop();
      }
    });
  });
}
