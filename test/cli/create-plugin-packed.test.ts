import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDal } from 'devlake-ts';
import { startServer } from '../helpers/api-test-server';
import { lintPlugin, ROOT, runCommand, typeCheck } from './generated-project';

/**
 * `npx devlake-ts create-plugin …` outside the toolkit checkout: the package is
 * installed from a tarball made with `npm pack` into an empty project (its own
 * dependencies linked from this checkout, since tests run without network).
 */
describe('devlake create-* from the packed package, outside the checkout', () => {
  let project: string;
  /** `npx devlake-ts …` in the project, as a user runs it. */
  const npx = (args: string[], env?: NodeJS.ProcessEnv) => runCommand('npx', ['--offline', 'devlake-ts', ...args], { cwd: project, env });
  beforeAll(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-packed-'));
    const packDir = path.join(project, '.pack');
    fs.mkdirSync(packDir);
    // dist/ is already built (jest global setup); packing must not rebuild it.
    const out = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', packDir], { cwd: ROOT, encoding: 'utf8' });
    const tarball = path.join(packDir, out.trim().split('\n').pop()!);
    const pkg = path.join(project, 'node_modules', 'devlake-ts');
    fs.mkdirSync(pkg, { recursive: true });
    execFileSync('tar', ['-xzf', tarball, '-C', pkg, '--strip-components=1']);
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(pkg, 'node_modules'), 'dir');
    // What npm install does for the package's bin, so `npx devlake-ts` finds it locally (no network).
    fs.mkdirSync(path.join(project, 'node_modules', '.bin'));
    fs.symlinkSync(path.join('..', 'devlake-ts', 'bin', 'devlake'), path.join(project, 'node_modules', '.bin', 'devlake'));
    fs.symlinkSync(path.join(ROOT, 'node_modules', '@types'), path.join(project, 'node_modules', '@types'), 'dir');
    // The user's own jest (`npm i -D jest`), which the generated test script runs with the toolkit's preset.
    fs.symlinkSync(path.join(ROOT, 'node_modules', 'jest'), path.join(project, 'node_modules', 'jest'), 'dir');
    fs.symlinkSync(path.join('..', 'jest', 'bin', 'jest.js'), path.join(project, 'node_modules', '.bin', 'jest'));
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'my-devops-plugins', private: true }));
  }, 120_000);
  afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

  it('writes ./plugins, compiles against the installed types, passes its tests and runs', async () => {
    const steps = [
      ['create-plugin', 'shop', '--with-api-client', '--endpoint', 'http://127.0.0.1:9/'],
      ['create-collector', 'shop', 'order', '--http-path', 'orders', '--pagination', 'offset'],
      ['create-extractor', 'shop', 'order', '--yes'],
      ['create-converter', 'shop', 'order', '--domain-table', 'users', '--yes'],
    ];
    for (const args of steps) {
      const r = await npx(args);
      expect({ args, code: r.code, output: r.code === 0 ? '' : r.output }).toEqual({ args, code: 0, output: '' });
    }
    expect(fs.existsSync(path.join(project, 'plugins', 'shop', 'index.ts'))).toBe(true);
    // The same commands again change nothing; no flags without a TTY and bad names are refused, nothing written.
    for (const args of steps) {
      const r = await npx(args);
      const lines = r.output.trim().split('\n');
      expect({ args, code: r.code, changed: lines.slice(0, -1).filter((l) => !/^(identical|skipped) /.test(l)), last: lines.pop() }).toEqual({
        args,
        code: 0,
        changed: [],
        last: 'No changes.',
      });
    }
    const missing = await npx(['create-plugin', 'other']);
    expect(missing.code).toBe(2);
    expect(missing.output).toContain('missing --with-api-client | --no-api-client, --endpoint <url>');
    const bad = await npx(['create-plugin', '../evil', '--no-api-client']);
    expect(bad.code).toBe(2);
    expect(bad.output).toContain('DEVLAKE_E_GEN_NAME');
    expect(fs.readdirSync(path.join(project, 'plugins'))).toEqual(['shop']);
    expect(fs.readFileSync(path.join(project, 'plugins', 'shop', 'tasks', 'order-converter.ts'), 'utf8')).toContain("from 'devlake-ts';");

    const { errors, output } = await typeCheck(project, {
      compilerOptions: {
        target: 'ES2022',
        module: 'node16',
        moduleResolution: 'node16',
        strict: true,
        noUnusedLocals: true,
        noUnusedParameters: true,
        esModuleInterop: true,
        skipLibCheck: true,
        noEmit: true,
        types: ['node', 'jest'],
      },
      include: ['plugins/**/*.ts'],
    });
    expect({ errors, output: errors.length ? output : '' }).toEqual({ errors: [], output: '' });

    // The documented command: create-plugin added the script to the project's package.json.
    expect(JSON.parse(fs.readFileSync(path.join(project, 'package.json'), 'utf8')).scripts).toEqual({ 'test:shop': 'jest --preset devlake-ts plugins/shop' });
    expect(fs.readFileSync(path.join(project, 'plugins', 'shop', 'README.md'), 'utf8')).toContain('\nnpm run test:shop\n');
    const tests = await runCommand('npm', ['run', '--silent', 'test:shop', '--', '--ci'], { cwd: project });
    expect({ code: tests.code, output: tests.code === 0 ? '' : tests.output }).toEqual({ code: 0, output: '' });
    expect(tests.output).toContain('order-converter.test.ts');

    const orders = Array.from({ length: 25 }, (_, i) => ({ id: `o-${i}`, name: `Order ${i}` }));
    const server = await startServer((req) => {
      const url = new URL(req.url, 'http://x');
      const offset = Number(url.searchParams.get('offset'));
      const limit = Number(url.searchParams.get('limit'));
      return { body: orders.slice(offset, offset + limit) };
    }, 5);
    try {
      const run = await npx(['run', 'shop', '--db', 'sqlite:./shop.db'], { SHOP_ENDPOINT: server.url, DEVLAKE_PLUGINS_PATH: '' });
      expect({ code: run.code, output: run.code === 0 ? '' : run.output }).toEqual({ code: 0, output: '' });
      const dal = await createDal(`sqlite:${path.join(project, 'shop.db')}`);
      try {
        const count = async (table: string) => Number((await dal.knex(table).count({ n: '*' }))[0].n);
        expect([await count('_raw_shop_order'), await count('_tool_shop_order'), await count('users')]).toEqual([25, 25, 25]);
        expect(await dal.knex('users').where({ id: 'shop:ShopOrder:o-3' }).first()).toMatchObject({ name: 'Order 3' });
      } finally {
        await dal.close();
      }
    } finally {
      await server.close();
    }
  }, 300_000);

  /**
   * The issue's done-when: a plugin grown from a sample response in a user's
   * project (create-plugin, create-collector, create-extractor --from-sample,
   * create-converter --domain-table issues) type-checks strictly, lints,
   * passes its generated tests with the documented command, runs against a
   * paginated server (raw, tool and domain rows), and re-generating it
   * changes nothing.
   */
  it('grows a plugin from a nested GitHub-issue-like sample: typed table, tests on the sample, raw + tool + domain rows', async () => {
    const issue = (n: number) => ({
      id: 2_147_483_647 + n,
      node_id: `I_kw${n}`,
      number: n,
      title: `Issue ${n}: crash on "start"`,
      body: n % 3 === 0 ? null : `Steps to reproduce ${n}.\nSecond line, with a comma.`,
      state: n % 2 ? 'open' : 'closed',
      locked: n % 5 === 0,
      score: n / 4,
      user: { login: `user${n % 7}`, id: 1000 + (n % 7), site_admin: false },
      assignee: null,
      labels: n % 2 ? [{ name: 'bug', color: 'f00' }] : [],
      milestone: n % 4 === 0 ? null : { id: 2 ** 53 + 2 * n, title: `v${n % 3}`, due_on: '2024-03-01T00:00:00Z' },
      reactions: { '+1': n % 3, total_count: n % 3 },
      created_at: `2024-01-${String((n % 28) + 1).padStart(2, '0')}T03:04:05Z`,
      updated_at: '2024-02-01T10:00:00.500+02:00',
      closed_at: n % 2 ? null : '2024-02-02T00:00:00Z',
    });
    fs.writeFileSync(path.join(project, 'issues.json'), JSON.stringify([issue(1), issue(2), issue(3), issue(4)], null, 2));
    const steps = [
      ['create-plugin', 'tracker', '--endpoint', 'http://127.0.0.1:9/', '--yes'],
      ['create-collector', 'tracker', 'issues', '--http-path', 'repos/{{params.Name}}/issues', '--from-sample', 'issues.json', '--yes'],
      ['create-extractor', 'tracker', 'issue', '--collector', 'issues', '--from-sample', 'issues.json', '--yes'],
      ['create-converter', 'tracker', 'issue', '--domain-table', 'issues', '--yes'],
    ];
    for (const args of steps) {
      const r = await npx(args);
      expect({ args, code: r.code, output: r.code === 0 ? '' : r.output }).toEqual({ args, code: 0, output: '' });
    }
    for (const args of steps) {
      const r = await npx(args);
      const lines = r.output.trim().split('\n');
      expect({ args, changed: lines.slice(0, -1).filter((l) => !/^(identical|skipped) /.test(l)), last: lines.pop() }).toEqual({ args, changed: [], last: 'No changes.' });
    }
    const file = (p: string) => fs.readFileSync(path.join(project, 'plugins', 'tracker', p), 'utf8');
    // The sample proposed page pagination (a bare array) and typed every column.
    expect(file('tasks/issues-collector.ts')).toContain("pagination: 'page',");
    const migration = fs.readdirSync(path.join(project, 'plugins', 'tracker', 'migrations')).find((f) => f.endsWith('-add-issue-table.ts'))!;
    const ddl = file(`migrations/${migration}`);
    for (const line of [
      // Keyed as DevLake keys tool tables: the run's connection, then the record's id as <plugin>_id;
      // every other column takes NULL, as a pick rule gives it for a record without the value.
      'connection_id: col.bigint().primaryKey(),',
      'tracker_id: col.bigint().primaryKey(),',
      'number: col.int(),',
      'body: col.text(),',
      'locked: col.bool(),',
      'score: col.float(),',
      'user_login: col.string(255),',
      'milestone_id: col.bigint(),',
      'milestone_due_on: col.datetime(),',
      'labels: col.text(),',
      'tracker_created_at: col.datetime(),',
      'closed_at: col.datetime(),',
    ]) {
      expect(ddl).toContain(line);
    }
    expect(file('models/issue.ts')).toContain("export const TrackerIssue = defineTable('_tool_tracker_issue', {");
    // A declarative extractor: one pick rule per column, run as one INSERT … SELECT.
    expect(file('tasks/issue-extractor.ts')).toContain("milestone_due_on: pick.time('milestone.due_on'),");
    expect(file('tasks/issue-extractor.ts')).toContain('Not mapped: reactions_1 (reactions.+1: the key "+1" cannot be a pick path).');
    expect(file('tasks/issue-converter.ts')).toContain("import { RAW_ISSUES_TABLE } from './issues-collector';");

    const { errors, output } = await typeCheck(project, {
      compilerOptions: { target: 'ES2022', module: 'node16', moduleResolution: 'node16', strict: true, noUnusedLocals: true, noUnusedParameters: true, esModuleInterop: true, skipLibCheck: true, noEmit: true, types: ['node', 'jest'] },
      include: ['plugins/tracker/**/*.ts'],
    });
    expect({ errors, output: errors.length ? output : '' }).toEqual({ errors: [], output: '' });
    // Lints with the toolkit's own rules (what `npm run lint` applies to generated-plugins/).
    expect(await lintPlugin(path.join(project, 'plugins', 'tracker'))).toEqual([]);

    const tests = await runCommand('npm', ['run', '--silent', 'test:tracker', '--', '--ci'], { cwd: project });
    expect({ code: tests.code, output: tests.code === 0 ? '' : tests.output }).toEqual({ code: 0, output: '' });
    expect(tests.output).toContain('issue-extractor.test.ts');
    expect(tests.output).toContain('issue-converter.test.ts');

    const all = Array.from({ length: 130 }, (_, i) => issue(i + 1));
    const server = await startServer((req) => {
      const url = new URL(req.url, 'http://x');
      const page = Number(url.searchParams.get('page'));
      const size = Number(url.searchParams.get('per_page'));
      return url.pathname === '/repos/octo/issues' ? { body: all.slice((page - 1) * size, page * size) } : { status: 404, body: {} };
    }, 10);
    try {
      // Options in DevLake's form: the connection, the scope key (create-plugin's default, `name`) and a scope config.
      const options = JSON.stringify({ connectionId: 3, name: 'octo', scopeConfig: { issueTypeBug: '^bug$' } });
      const run = await npx(['run', 'tracker', '--db', 'sqlite:./tracker.db', '--options', options], { TRACKER_ENDPOINT: server.url, DEVLAKE_PLUGINS_PATH: '' });
      expect({ code: run.code, output: run.code === 0 ? '' : run.output }).toEqual({ code: 0, output: '' });
      expect(server.requests.map((q) => q.url)).toEqual(['/repos/octo/issues?page=1&per_page=100', '/repos/octo/issues?page=2&per_page=100']);
      const dal = await createDal(`sqlite:${path.join(project, 'tracker.db')}`);
      try {
        const count = async (table: string) => Number((await dal.knex(table).count({ n: '*' }))[0].n);
        expect([await count('_raw_tracker_issues'), await count('_tool_tracker_issue'), await count('issues')]).toEqual([130, 130, 130]);
        expect(await dal.knex('issues').where({ id: `tracker:TrackerIssue:3:${2_147_483_647 + 7}` }).first()).toMatchObject({
          title: 'Issue 7: crash on "start"',
          _raw_data_table: '_raw_tracker_issues',
          _raw_data_params: '{"ConnectionId":3,"Name":"octo"}',
        });
        expect(await dal.knex('_tool_tracker_scopes').select('connection_id', 'name')).toEqual([{ connection_id: 3, name: 'octo' }]);
        // Ids past 2^32 and 2^53 (the milestone's) arrive whole in the bigint columns.
        expect(await dal.knex('_tool_tracker_issue').where({ connection_id: 3, tracker_id: 2_147_483_647 + 7 }).first()).toMatchObject({ milestone_id: 2 ** 53 + 14, labels: '[{"name":"bug","color":"f00"}]' });
      } finally {
        await dal.close();
      }
    } finally {
      await server.close();
    }
  }, 300_000);
});
