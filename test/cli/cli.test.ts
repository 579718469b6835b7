import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDal } from 'devlake-ts';
import { databases } from 'devlake-ts/testing';
import { devlake, FIXTURE_PLUGINS } from './helpers';

let cwd: string;
beforeEach(() => {
  cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-cli-'));
});
afterEach(() => fs.rmSync(cwd, { recursive: true, force: true }));

describe('devlake CLI basics', () => {
  it('prints help with examples and exit codes', async () => {
    const r = await devlake(['--help'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: devlake');
    for (const cmd of ['run', 'list', 'migrate']) expect(r.stdout).toContain(cmd);
    expect(r.stdout).toContain('Exit codes: 0 success, 1 run failed, 2 usage error, 130 cancelled.');
  });

  it('prints the package version', async () => {
    const r = await devlake(['--version'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(require('../../package.json').version);
  });

  it('list exits 1 and names file:line:col when a plugin does not compile (text and --json)', async () => {
    const plugins = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-list-'));
    try {
      fs.mkdirSync(path.join(plugins, 'syntax'));
      fs.writeFileSync(path.join(plugins, 'syntax', 'index.ts'), "export default {\n  name: 'syntax',\n  description: 'x' +,\n};\n");
      fs.cpSync(path.join(FIXTURE_PLUGINS, 'demo'), path.join(plugins, 'demo'), { recursive: true });
      const env = { DEVLAKE_PLUGINS_PATH: plugins, DEVLAKE_TS_CACHE: 'off' };
      const text = await devlake(['list'], { cwd, env });
      expect(text.code).toBe(1);
      expect(text.stdout).toContain('demo  ');
      expect(text.stdout).toContain(`syntax  (broken: DEVLAKE_E_PLUGIN_LOAD Plugin "syntax" does not compile: ${path.join(plugins, 'syntax', 'index.ts')}:3:21: Expression expected)`);
      expect(text.stderr).toBe('1 plugin(s) cannot be loaded: syntax.\n');
      const json = await devlake(['list', '--json'], { cwd, env });
      expect(json.code).toBe(1);
      const list = JSON.parse(json.stdout) as Array<{ name: string; error?: Record<string, unknown> }>;
      expect(list.find((p) => p.name === 'syntax')?.error).toMatchObject({ code: 'DEVLAKE_E_PLUGIN_LOAD', file: path.join(plugins, 'syntax', 'index.ts'), line: 3, column: 21 });
      expect(list.find((p) => p.name === 'demo')?.error).toBeUndefined();
    } finally {
      fs.rmSync(plugins, { recursive: true, force: true });
    }
  });

  it('lists plugins as a JSON array with their subtasks', async () => {
    const r = await devlake(['list', '--json'], { cwd });
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as Array<{ name: string; subtasks: Array<{ name: string; enabledByDefault: boolean }> }>;
    expect(Array.isArray(list)).toBe(true);
    const demo = list.find((p) => p.name === 'demo');
    expect(demo?.subtasks).toEqual([
      { name: 'Write Numbers', enabledByDefault: true, description: 'Writes 1..count and their squares' },
      { name: 'Count Numbers', enabledByDefault: true, description: 'Logs how many numbers exist' },
      { name: 'Optional Step', enabledByDefault: false, description: 'Runs only when asked for' },
    ]);
  });

  it('fails with one line naming the existing plugins for an unknown plugin (exit 1)', async () => {
    const r = await devlake(['run', 'nope'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error \[DEVLAKE_E_PLUGIN_NOT_FOUND\] No plugin named "nope"\n {2}Try: Available plugins: .*demo/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack without --verbose
  });

  it('rejects an unknown subtask with exit 2, listing the valid ones', async () => {
    const r = await devlake(['run', 'demo', '--subtasks', 'bogus'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('DEVLAKE_E_SUBTASK_UNKNOWN');
    expect(r.stderr).toContain('Valid subtasks: Write Numbers, Count Numbers, Optional Step.');
    expect(fs.existsSync(path.join(cwd, 'devlake.db'))).toBe(false);
  });

  it.each([
    [['run', 'demo', '--options', '{bad'], 'DEVLAKE_E_OPTIONS_JSON'],
    [['run', 'demo', '--options', '[1]'], 'DEVLAKE_E_OPTIONS_JSON'],
    [['run', 'demo', '--time-after', 'yesterday'], 'DEVLAKE_E_TIME_AFTER'],
    [['run', 'demo', '--subtasks', ' , '], 'DEVLAKE_E_USAGE'],
    [['frobnicate'], 'DEVLAKE_E_USAGE'],
    [['run'], 'DEVLAKE_E_USAGE'],
    [['--log-level', 'loud', 'list'], 'DEVLAKE_E_USAGE'],
  ])('usage error for %j is exit 2 with %s', async (args, code) => {
    const r = await devlake(args, { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toContain(`Error [${code}]`);
  });

  it('prints the stack trace only with --verbose', async () => {
    const plain = await devlake(['run', 'demo', '--options', '{"failAt":1}', '--db', 'sqlite:./v.db'], { cwd });
    expect(plain.code).toBe(1);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    const verbose = await devlake(['--verbose', 'run', 'demo', '--options', '{"failAt":1}', '--db', 'sqlite:./v.db'], { cwd });
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toContain('Error [DEVLAKE_E_SUBTASK_FAILED]');
    expect(verbose.stderr).toMatch(/\n\s+at .*writeNumbers/);
  });

  it('reads DB_URL from .env in the working directory, and --db overrides it', async () => {
    fs.writeFileSync(path.join(cwd, '.env'), 'DB_URL=sqlite:./from-env.db\n');
    expect((await devlake(['migrate', '--plugin', 'demo'], { cwd, env: { DB_URL: undefined } })).code).toBe(0);
    expect(fs.existsSync(path.join(cwd, 'from-env.db'))).toBe(true);
    expect((await devlake(['--db', 'sqlite:./from-flag.db', 'migrate', '--plugin', 'demo'], { cwd, env: { DB_URL: undefined } })).code).toBe(0);
    expect(fs.existsSync(path.join(cwd, 'from-flag.db'))).toBe(true);
  });

  it('a second Ctrl-C exits at once (130) even when the subtask ignores cancellation', async () => {
    let sent = 0;
    const r = await devlake(['run', 'demo', '--db', 'sqlite:./c.db', '--options', '{"count":100000,"delayMs":5,"ignoreAbort":true}'], {
      cwd,
      env: { DB_URL: undefined },
      onStderr: (chunk, child) => {
        if (sent === 0 && chunk.includes('executing subtask Write Numbers')) {
          sent = 1;
          setTimeout(() => child.kill('SIGINT'), 100);
        } else if (sent === 1 && chunk.includes('cancelling (SIGINT)')) {
          sent = 2;
          setTimeout(() => child.kill('SIGINT'), 100);
        }
      },
    });
    expect(sent).toBe(2);
    expect(r.code).toBe(130);
  });

  it('never prints a database password', async () => {
    const r = await devlake(['--db', 'postgres://u:S3cretPassw0rd@127.0.0.1:1/x', 'migrate', '--plugin', 'demo'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('DEVLAKE_E_DB_CONNECT');
    expect(r.stderr + r.stdout).not.toContain('S3cretPassw0rd');
  });
});

describe("a user's project (bundled examples only when asked) and --json on failure", () => {
  const tables = async (url: string) => {
    const dal = await createDal(url);
    try {
      const rows = (await dal.knex.raw("SELECT name FROM sqlite_master WHERE type = 'table'")) as Array<{ name: string }>;
      return rows.map((r) => r.name);
    } finally {
      await dal.close();
    }
  };

  it('migrate applies the project plugins only; icla and github need --examples; run names the flag', async () => {
    fs.cpSync(path.join(FIXTURE_PLUGINS, 'demo'), path.join(cwd, 'plugins', 'demo'), { recursive: true });
    const env = { DEVLAKE_PLUGINS_PATH: '', DB_URL: `sqlite:${path.join(cwd, 'devlake.db')}` };
    const migrated = await devlake(['migrate', '--json'], { cwd, env });
    expect(migrated.code).toBe(0);
    const result = JSON.parse(migrated.stdout) as { status: string; applied: Array<{ owner: string }> };
    expect(result.status).toBe('COMPLETED');
    const owners = new Set(result.applied.map((m) => m.owner));
    expect(owners.has('plugin:demo')).toBe(true);
    expect([...owners].filter((o) => o === 'plugin:icla' || o === 'plugin:github')).toEqual([]);
    expect((await tables(env.DB_URL)).filter((t) => /^_tool_(github|icla)_/.test(t))).toEqual([]);

    const run = await devlake(['run', 'icla', '--replay'], { cwd, env });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Error [DEVLAKE_E_PLUGIN_NOT_FOUND] No plugin named "icla"');
    expect(run.stderr).toContain('add --examples (or set DEVLAKE_EXAMPLES=1)');

    const asked = await devlake(['migrate', '--plugin', 'icla', '--examples', '--json'], { cwd, env });
    expect(asked.code).toBe(0);
    expect((JSON.parse(asked.stdout) as { applied: Array<{ owner: string }> }).applied.map((m) => m.owner)).toContain('plugin:icla');
  });

  it("the README quick start still works in the toolkit's checkout: devlake run icla --replay", async () => {
    const r = await devlake(['--db', `sqlite:${path.join(cwd, 'quick.db')}`, 'run', 'icla', '--replay'], {
      cwd: path.resolve(__dirname, '..', '..'),
      env: { DEVLAKE_PLUGINS_PATH: '' },
      timeoutMs: 120_000,
    });
    expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^icla: COMPLETED/);
  });

  it('run --json and migrate --json print a FAILED result with the code and message when they fail', async () => {
    const run = await devlake(['run', 'demo', '--options', '[1]', '--json'], { cwd });
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({
      plugin: 'demo',
      status: 'FAILED',
      pipelineId: null,
      taskId: null,
      durationMs: expect.any(Number),
      rowsWritten: 0,
      subtasks: [],
      error: { code: 'DEVLAKE_E_OPTIONS_JSON', message: '--options must be a JSON object', hint: `e.g. --options '{"connectionId":1}'.` },
    });
    expect(run.stderr).toContain('Error [DEVLAKE_E_OPTIONS_JSON]');
    const migrate = await devlake(['--db', 'postgres://u:S3cretPassw0rd@127.0.0.1:1/x', 'migrate', '--plugin', 'demo', '--json'], { cwd });
    expect(migrate.code).toBe(1);
    const out = JSON.parse(migrate.stdout) as { status: string; error: { code: string; message: string } };
    expect(out).toMatchObject({ status: 'FAILED', applied: [], error: { code: 'DEVLAKE_E_DB_CONNECT' } });
    expect(migrate.stdout).not.toContain('S3cretPassw0rd');
  });
});

describe.each(databases())('devlake migrate and run on $name', (target) => {
  it('migrates once (second run applies nothing), runs the plugin and prints a JSON summary', async () => {
    const db = await target.open();
    try {
      const env = { DB_URL: db.url };
      const first = await devlake(['migrate'], { cwd, env });
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/applied framework \d+ add_framework_tables/);
      expect(first.stdout).toMatch(/applied plugin:demo 20240101000000 add_demo_numbers/);
      const second = await devlake(['migrate'], { cwd, env });
      expect(second.code).toBe(0);
      expect(second.stdout).toMatch(/^nothing to apply/);

      const run = await devlake(['run', 'demo', '--options', '{"count":7}', '--json'], { cwd, env });
      expect(run.code).toBe(0);
      const summary = JSON.parse(run.stdout);
      expect(summary.status).toBe('COMPLETED');
      expect(summary.subtasks.map((s: { name: string; status: string }) => `${s.name}:${s.status}`)).toEqual(['Write Numbers:COMPLETED', 'Count Numbers:COMPLETED']);
      expect(summary.rowsWritten).toBe(7);
      expect(run.stderr).toMatch(/\] INFO \[demo\] total step: 2/);
      expect(run.stderr).toMatch(/\] INFO \[demo\] finished step: 2 \/ 2/);
      const check = await createDal(db.url);
      try {
        const [{ c }] = await check.knex('_tool_demo_numbers').count({ c: '*' });
        expect(Number(c)).toBe(7);
      } finally {
        await check.close();
      }

      // A subtask failing mid-run: the summary still reaches stdout, with the failed subtask and its error.
      const failed = await devlake(['run', 'demo', '--options', '{"count":7,"failAt":3}', '--json'], { cwd, env });
      expect(failed.code).toBe(1);
      const out = JSON.parse(failed.stdout) as { status: string; taskId: unknown; subtasks: Array<{ name: string; status: string; error?: { code: string; message: string } }>; error: { code: string; message: string } };
      expect(out.status).toBe('FAILED');
      expect(out.taskId).toEqual(expect.any(Number));
      expect(out.subtasks[0]).toMatchObject({ name: 'Write Numbers', status: 'FAILED', error: { code: 'DEVLAKE_E_SUBTASK_FAILED', message: expect.stringContaining('demo failure at 3') } });
      expect(out.error).toMatchObject({ code: 'DEVLAKE_E_SUBTASK_FAILED', message: expect.stringContaining('demo failure at 3') });
    } finally {
      await db.drop();
    }
  });

  it('a failing subtask exits 1 with the error recorded', async () => {
    const db = await target.open();
    try {
      const r = await devlake(['run', 'demo', '--options', '{"count":3,"failAt":2}'], { cwd, env: { DB_URL: db.url } });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('Error [DEVLAKE_E_SUBTASK_FAILED] Subtask "Write Numbers" failed: demo failure at 2');
      const [task] = await db.dal.knex('_devlake_ts_tasks').orderBy('id', 'desc').limit(1);
      expect(task.status).toBe('FAILED');
    } finally {
      await db.drop();
    }
  });

  it('Ctrl-C mid-run cancels gracefully: CANCELLED, exit 130, committed rows kept', async () => {
    const db = await target.open();
    try {
      let sent = false;
      const r = await devlake(['run', 'demo', '--options', '{"count":100000,"delayMs":2}', '--log-level', 'debug'], {
        cwd,
        env: { DB_URL: db.url },
        onStderr: (chunk, child) => {
          if (!sent && chunk.includes('executing subtask Write Numbers')) {
            sent = true;
            setTimeout(() => child.kill('SIGINT'), 200);
          }
        },
      });
      expect(r.code).toBe(130);
      expect(r.stderr).toContain('Error [DEVLAKE_E_CANCELLED]');
      const [task] = await db.dal.knex('_devlake_ts_tasks').orderBy('id', 'desc').limit(1);
      expect(task.status).toBe('CANCELLED');
      const [{ c }] = await db.dal.knex('_tool_demo_numbers').count({ c: '*' });
      expect(Number(c)).toBeGreaterThan(0);
      expect(Number(c)).toBeLessThan(100000);
    } finally {
      await db.drop();
    }
  });
});
