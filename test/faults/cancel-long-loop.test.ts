import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Dal } from 'devlake-ts';
import { databases, seededRandom, type TestDb } from 'devlake-ts/testing';
import { ensureRawTable } from '../../src/dal/raw-table';
import { spawnDevlake } from '../cli/helpers';
import { addFigures } from './support/figures';
import { DOMAIN_TABLE, FAULT_PLUGINS, flakyEnv, RAW_TABLE, TOOL_TABLE } from './support/flaky-plugin';

/**
 * Issue 13 item 3: Ctrl-C during a long extraction or conversion (302 k rows)
 * was ignored; the run finished COMPLETED with exit 0. On SQLite every page
 * is answered synchronously, so the loop never gave the event loop a turn and
 * the signal handler never ran. Here 200 k rows are seeded straight into the
 * raw (extract) or tool (convert) table, the subtask is started alone, and
 * SIGINT arrives at a seeded moment inside it: exit 130 within 2 s, the run
 * recorded CANCELLED, the output table as before the run (or, if the signal
 * came after the commit, as after it), never in between. A second SIGINT
 * exits at once with the transaction rolled back.
 */

const ROWS = Number(process.env.DEVLAKE_FAULTS_LONG_ROWS ?? 200_000);
const PARAMS = JSON.stringify({ ConnectionId: 1, Scope: 'faults' });
const EXIT_WITHIN_MS = 2000;

const count = async (dal: Dal, table: string, where: Record<string, unknown> = {}) => Number((await dal.knex(table).where(where).count({ n: '*' }))[0].n);

async function seedRaw(dal: Dal): Promise<void> {
  await ensureRawTable(dal, RAW_TABLE); // the collector makes it; it does not run here
  const now = new Date();
  for (let start = 1; start <= ROWS; start += 5000) {
    const rows = [];
    for (let id = start; id < start + 5000 && id <= ROWS; id++) {
      rows.push({ params: PARAMS, data: JSON.stringify({ id, title: `item ${id}`, state: id % 3 ? 'open' : 'closed', updated_at: '2024-01-01T00:00:00Z' }), url: `/items?page=${id}`, input: null, created_at: now });
    }
    await dal.insert(RAW_TABLE, rows);
  }
}

async function seedTool(dal: Dal): Promise<void> {
  for (let start = 1; start <= ROWS; start += 5000) {
    const rows = [];
    for (let id = start; id < start + 5000 && id <= ROWS; id++) {
      rows.push({ connection_id: 1, id, title: `item ${id}`, state: id % 3 ? 'open' : 'closed', item_updated_at: '2024-01-01T00:00:00Z', _raw_data_params: PARAMS, _raw_data_table: RAW_TABLE, _raw_data_id: id, _raw_data_remark: '' });
    }
    await dal.insert(TOOL_TABLE, rows);
  }
}

describe.each(databases())('Ctrl-C inside a long extraction or conversion on $name', (target) => {
  let db: TestDb;
  let cwd: string;
  const rand = seededRandom(1313 + target.name.length);
  beforeAll(() => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-long-'));
  });
  afterAll(() => fs.rmSync(cwd, { recursive: true, force: true }));
  beforeEach(async () => {
    db = await target.open();
    // Migrate through the CLI (nothing to collect: the subtasks run alone).
    const migrated = await spawnDevlake(['migrate', '--plugin', 'flaky'], { cwd, env: env() }).done;
    expect(migrated.stderr).toBe('');
  });
  afterEach(() => db.drop());

  const env = () => ({ DB_URL: db.url, DEVLAKE_PLUGINS_PATH: FAULT_PLUGINS, ...flakyEnv('http://127.0.0.1:9') });

  /** Runs one subtask and sends SIGINT `delayMs` after it starts (twice when `twice`); returns the exit, the timing and the run's records. */
  async function interrupt(subtask: string, delayMs: number, twice: boolean) {
    let sentAt = 0;
    const run = spawnDevlake(['run', 'flaky', '--subtasks', subtask], {
      cwd,
      env: env(),
      timeoutMs: 120_000,
      onStderr: (_chunk, child, all) => {
        if (sentAt || !all.includes(`executing subtask ${subtask}`)) return;
        sentAt = -1;
        setTimeout(() => {
          sentAt = Date.now();
          child.kill('SIGINT');
          if (twice) setTimeout(() => child.kill('SIGINT'), 50);
        }, delayMs);
      },
    });
    const result = await run.done;
    const exitMs = Date.now() - sentAt;
    const task = await db.dal.knex('_devlake_ts_tasks').orderBy('id', 'desc').first();
    return { result, exitMs, task };
  }

  it.each([
    ['Extract Items', TOOL_TABLE],
    ['Convert Items', DOMAIN_TABLE],
  ] as const)('%s: SIGINT at a seeded point exits 130 within 2 s, recorded CANCELLED, output all or nothing', async (subtask, output) => {
    if (subtask === 'Extract Items') await seedRaw(db.dal);
    else await seedTool(db.dal);
    const before = await count(db.dal, output);
    const delayMs = 300 + Math.floor(rand() * 700);
    const { result, exitMs, task } = await interrupt(subtask, delayMs, false);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 130, stderr: expect.stringContaining('Error [DEVLAKE_E_CANCELLED]') });
    expect(exitMs).toBeLessThan(EXIT_WITHIN_MS);
    expect(task.status).toBe('CANCELLED');
    const after = await count(db.dal, output);
    expect([before, ROWS]).toContain(after);
    expect(after).toBe(before); // the signal came well inside the subtask: nothing of it was kept
    addFigures('cancel-long-loop', { [`long_${subtask === 'Extract Items' ? 'extract' : 'convert'}_cancels`]: 1, long_rows_per_run: ROWS });
  }, 240_000);

  it('a second SIGINT during a conversion exits at once; the transaction is rolled back', async () => {
    await seedTool(db.dal);
    const { result, exitMs } = await interrupt('Convert Items', 300 + Math.floor(rand() * 700), true);
    // 130 from the second handler, or (when the first cancel had already ended the run) the default SIGINT exit.
    expect({ exited: result.code === 130 || result.signal === 'SIGINT' }).toEqual({ exited: true });
    expect(exitMs).toBeLessThan(EXIT_WITHIN_MS);
    expect(await count(db.dal, DOMAIN_TABLE)).toBe(0);
    // The database is usable at once: no lock or transaction was left behind.
    const next = await spawnDevlake(['run', 'flaky', '--subtasks', 'Convert Items'], { cwd, env: env(), timeoutMs: 180_000 }).done;
    expect({ code: next.code, stderr: next.code === 0 ? '' : next.stderr }).toEqual({ code: 0, stderr: '' });
    expect(await count(db.dal, DOMAIN_TABLE)).toBe(ROWS);
  }, 300_000);
});
