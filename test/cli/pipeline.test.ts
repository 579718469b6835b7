import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { devlake, FIXTURE_PLUGINS } from './helpers';

describe('devlake pipeline (in process, SQLite)', () => {
  let dir: string;
  const env = () => ({ DEVLAKE_PLUGINS_PATH: FIXTURE_PLUGINS });
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-pipeline-cli-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('runs a --plan, prints a --json summary, and `pipeline status` shows the same from the database', async () => {
    const db = `sqlite:${path.join(dir, 'a.db')}`;
    const plan = JSON.stringify([[{ plugin: 'demo', options: { count: 2 } }], [{ plugin: 'demo', subtasks: ['Count Numbers'], options: { n: 1 } }]]);
    const run = await devlake(['--db', db, 'pipeline', 'run', '--plan', plan, '--json'], { cwd: dir, env: env() });
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as { pipelineId: number; status: string; tasks: Array<{ status: string; stage: number }> };
    expect(summary.status).toBe('COMPLETED');
    expect(summary.tasks.map((t) => [t.stage, t.status])).toEqual([
      [1, 'COMPLETED'],
      [2, 'COMPLETED'],
    ]);
    expect(run.stderr).toContain('[demo] finished step: 2 / 2');
    const status = await devlake(['--db', db, 'pipeline', 'status', String(summary.pipelineId)], { cwd: dir, env: env() });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^pipeline \d+ ".*": COMPLETED/);
  });

  it('a failed task exits 1 naming the rerun command; rerun of a finished pipeline runs nothing again', async () => {
    const db = `sqlite:${path.join(dir, 'b.db')}`;
    fs.writeFileSync(path.join(dir, 'plan.yaml'), 'plan:\n  - - plugin: demo\n      options: {count: 2}\n    - plugin: demo\n      options: {count: 2, failAt: 1}\n');
    const run = await devlake(['--db', db, 'pipeline', 'run', 'plan.yaml'], { cwd: dir, env: env() });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/FAILED\s+#2 demo/);
    expect(run.stderr).toContain('devlake pipeline rerun 1');
    const rerun = await devlake(['--db', db, 'pipeline', 'rerun', '1', '--json'], { cwd: dir, env: env() });
    const again = JSON.parse(rerun.stdout) as { tasks: Array<{ status: string; attempts: number }> };
    // The completed task is kept (one attempt); the failed one ran again (and failed again: same options).
    expect(again.tasks.map((t) => [t.status, t.attempts])).toEqual([
      ['COMPLETED', 1],
      ['FAILED', 2],
    ]);
  });

  it('bad input: a bad plan, no plan, an unknown pipeline id — clear codes, nothing created', async () => {
    const db = `sqlite:${path.join(dir, 'c.db')}`;
    const bad = await devlake(['--db', db, 'pipeline', 'run', '--plan', '[[{"options":{}}]]'], { cwd: dir, env: env() });
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringContaining('DEVLAKE_E_PIPELINE_PLAN')]);
    const none = await devlake(['--db', db, 'pipeline', 'run'], { cwd: dir, env: env() });
    expect([none.code, none.stderr]).toEqual([2, expect.stringContaining('No plan given')]);
    const missing = await devlake(['--db', db, 'pipeline', 'status', '99'], { cwd: dir, env: env() });
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining('DEVLAKE_E_PIPELINE_NOT_FOUND')]);
  });
});
