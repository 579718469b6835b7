import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDal } from 'devlake-ts';
import { startServer, type TestServer } from '../helpers/api-test-server';
import { ROOT, runGeneratedTests, typeCheck } from './generated-project';
import { devlake } from './helpers';

/** Every file under `dir`, relative, with its content: to prove nothing was written. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

const GENERATE: string[][] = [
  ['create-plugin', 'demo', '--with-api-client', '--endpoint', 'http://127.0.0.1:9/'],
  ['create-collector', 'demo', 'committer', '--http-path', 'committers', '--pagination', 'page'],
  ['create-extractor', 'demo', 'committer', '--collector', 'committer', '--model', 'committer', '--primary-key', 'user_name'],
  ['create-converter', 'demo', 'committer', '--model', 'committer', '--domain-table', 'accounts'],
  ['create-migration', 'demo', 'add-email', '--migration-version', '20300101000000'],
  // Every pagination mode, in a second plugin that is only type-checked and tested.
  ['create-plugin', 'modes', '--with-api-client', '--endpoint', 'https://api.example.com/v1', '--description', "it's \"quoted\"", '--auth', 'header', '--auth-header', 'X-Api-Key'],
  ...['none', 'page', 'totalPages', 'offset', 'cursor', 'link'].map((mode) => [
    'create-collector',
    'modes',
    `by-${mode.toLowerCase()}`,
    '--http-path',
    `orgs/{{params.Name}}/${mode}`,
    '--pagination',
    mode,
  ]),
  ['create-extractor', 'modes', 'by-cursor', '--yes'],
  // Converters into other domain entities: one with a title, one with a name, one with neither.
  ['create-converter', 'modes', 'issue', '--model', 'by-cursor', '--domain-table', 'issues'],
  ['create-converter', 'modes', 'pipeline', '--model', 'by-cursor', '--domain-table', 'cicd_pipelines'],
  ['create-converter', 'modes', 'file', '--model', 'by-cursor', '--domain-table', 'commit_files'],
];

describe('devlake create-* end to end', () => {
  let dir: string;
  beforeAll(() => {
    // Inside the repository so the generated code resolves the toolkit's node_modules.
    dir = fs.mkdtempSync(path.join(ROOT, '.tmp-gen-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('generates a plugin that type-checks strictly, passes its own tests and runs against a local API', async () => {
    for (const args of GENERATE) {
      const r = await devlake([...args, '--dir', dir]);
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: '' });
      // Paths as seen from the working directory (the checkout here), not from the plugins folder.
      expect(r.stdout).toMatch(new RegExp(`^created {3}${path.basename(dir)}/(demo|modes)/`, 'm'));
    }
    const index = fs.readFileSync(path.join(dir, 'demo/index.ts'), 'utf8');
    expect(index).toContain('return [CollectCommitterMeta, ExtractCommitterMeta, ConvertCommitterMeta];');

    // The same commands again: every file identical (or skipped: the plugin's registries), nothing written.
    const before = tree(dir);
    for (const args of GENERATE) {
      const r = await devlake([...args, '--dir', dir]);
      expect(r.code).toBe(0);
      const lines = r.stdout.trim().split('\n').slice(0, -1);
      expect(lines.filter((l) => !/^(identical|skipped) /.test(l))).toEqual([]);
      expect(r.stdout.trim().split('\n').pop()).toBe('No changes.');
    }
    expect(tree(dir)).toEqual(before);

    const { errors, output } = await typeCheck(dir, { extends: path.join(ROOT, 'tsconfig.json'), include: ['**/*.ts'] });
    expect({ errors, output: errors.length ? output : '' }).toEqual({ errors: [], output: '' });

    const tests = await runGeneratedTests(dir, {
      '^devlake-ts$': path.join(ROOT, 'src/index.ts'),
      '^devlake-ts/testing$': path.join(ROOT, 'src/testing/index.ts'),
      '^devlake-ts/devlake$': path.join(ROOT, 'src/devlake/index.ts'),
    });
    expect({ code: tests.code, output: tests.code === 0 ? '' : tests.output }).toEqual({ code: 0, output: '' });
    expect(tests.output).toMatch(/Tests:\s+\d+ passed, \d+ total/);
    expect(tests.output).toContain('committer-extractor.test.ts');
    expect(tests.output).toContain('committer-converter.test.ts');

    // Run it: page 1 full, page 2 short, as the page pagination mode expects.
    const people = Array.from({ length: 130 }, (_, i) => ({ user_name: `user${i}`, name: `Person ${i} Ünïcode` }));
    let server: TestServer | undefined;
    try {
      server = await startServer((req) => {
        const url = new URL(req.url, 'http://x');
        const page = Number(url.searchParams.get('page'));
        const size = Number(url.searchParams.get('per_page'));
        return url.pathname === '/committers' ? { body: people.slice((page - 1) * size, page * size) } : { status: 404, body: {} };
      }, 10);
      const db = path.join(dir, 'run.db');
      const r = await devlake(['run', 'demo', '--db', `sqlite:${db}`], {
        cwd: dir,
        env: { DEVLAKE_PLUGINS_PATH: dir, DEMO_ENDPOINT: `${server.url.replace(/\/$/, '')}/`, DEMO_TOKEN: 'tok-secret-1234' },
      });
      expect({ code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ code: 0, stderr: '' });
      expect(`${r.stdout}${r.stderr}`).not.toContain('tok-secret-1234');
      expect(server.requests.map((q) => q.url)).toEqual(['/committers?page=1&per_page=100', '/committers?page=2&per_page=100']);
      expect(server.requests[0].headers.authorization).toBe('Bearer tok-secret-1234');
      const dal = await createDal(`sqlite:${db}`);
      try {
        const count = async (table: string) => Number((await dal.knex(table).count({ n: '*' }))[0].n);
        expect([await count('_raw_demo_committer'), await count('_tool_demo_committer'), await count('accounts')]).toEqual([130, 130, 130]);
        expect(await dal.knex('accounts').where({ id: 'demo:DemoCommitter:user7' }).first()).toMatchObject({
          user_name: 'user7',
          full_name: 'Person 7 Ünïcode',
          _raw_data_table: '_raw_demo_committer',
        });
        expect(await dal.hasTable('_tool_demo_add_email')).toBe(true);
        // The init script's table, filled by the generated prepareTaskData.
        expect(await dal.knex('_tool_demo_scopes').select('connection_id', 'name')).toEqual([{ connection_id: 1, name: 'default' }]);
      } finally {
        await dal.close();
      }
    } finally {
      await server?.close();
    }
  }, 240_000);
});

describe('devlake create-* refusals', () => {
  let cwd: string;
  beforeEach(() => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-gen-'));
  });
  afterEach(() => fs.rmSync(cwd, { recursive: true, force: true }));

  it('without a TTY and without flags, fails listing every missing flag and writes nothing', async () => {
    const r = await devlake(['create-plugin', 'x', '--dir', 'p'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('DEVLAKE_E_MISSING_FLAGS');
    expect(r.stderr).toContain('--with-api-client | --no-api-client, --endpoint <url>');
    expect(fs.existsSync(path.join(cwd, 'p'))).toBe(false);

    expect((await devlake(['create-plugin', 'x', '--dir', 'p', '--endpoint', 'https://api.example.com/', '--yes'], { cwd })).code).toBe(0);
    const c = await devlake(['create-collector', 'x', 'items', '--dir', 'p'], { cwd });
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('missing --http-path <path>, --pagination <mode>');
  });

  it.each([
    [['create-plugin', '../evil', '--no-api-client']],
    [['create-plugin', 'Evil', '--no-api-client']],
    [['create-plugin', 'a/b', '--no-api-client']],
    [['create-plugin', 'index', '--no-api-client']],
    [['create-extractor', 'x', '../../etc', '--yes']],
    [['create-migration', 'x', 'Add Column']],
  ])('refuses bad names with DEVLAKE_E_GEN_NAME and writes nothing: %j', async (args) => {
    expect((await devlake(['create-plugin', 'x', '--no-api-client', '--dir', 'p'], { cwd })).code).toBe(0);
    const before = tree(cwd);
    const r = await devlake([...args, '--dir', 'p'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^Error \[DEVLAKE_E_GEN_NAME\] .+\n {2}Try: /);
    expect(tree(cwd)).toEqual(before);
  });

  it('refuses to overwrite an edited file without --force; --dry-run reports it; --force overwrites', async () => {
    expect((await devlake(['create-plugin', 'x', '--no-api-client', '--dir', 'p'], { cwd })).code).toBe(0);
    const file = path.join(cwd, 'p/x/README.md');
    fs.writeFileSync(file, 'mine\n');
    const before = tree(cwd);
    const r = await devlake(['create-plugin', 'x', '--no-api-client', '--dir', 'p'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('conflict  p/x/README.md');
    expect(r.stderr).toContain('DEVLAKE_E_GEN_CONFLICT');
    expect(r.stderr).toContain('--force');
    expect(tree(cwd)).toEqual(before);

    const dry = await devlake(['create-plugin', 'x', '--no-api-client', '--dir', 'p', '--dry-run', '--force'], { cwd });
    expect(dry.stdout).toContain('updated   p/x/README.md');
    expect(dry.stdout).toContain('Dry run: 1 file(s) would change; nothing was written.');
    expect(tree(cwd)).toEqual(before);

    expect((await devlake(['create-plugin', 'x', '--no-api-client', '--dir', 'p', '--force'], { cwd })).code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toContain('# x');
  });

  it('under --yes, names --endpoint as the one question without a default', async () => {
    const r = await devlake(['create-plugin', 'x', '--yes', '--dir', 'p'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('create-plugin: missing --endpoint <url> (--yes takes defaults, but this has none)');
    expect(fs.existsSync(path.join(cwd, 'p'))).toBe(false);
  });

  it('create-extractor --columns: a path the sample lacks is one line naming close matches; without --from-sample it is refused', async () => {
    expect((await devlake(['create-plugin', 'x', '--no-api-client', '--dir', 'p'], { cwd })).code).toBe(0);
    fs.writeFileSync(path.join(cwd, 'issues.json'), JSON.stringify([{ id: 1, html_url: 'u', milestone: { id: 2 } }]));
    const before = tree(cwd);
    const bad = await devlake(['create-extractor', 'x', 'issue', '--from-sample', 'issues.json', '--columns', 'url=htm_url', '--dir', 'p', '--yes'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^Error \[DEVLAKE_E_GEN_INVALID_ANSWER\] --columns "url=htm_url": no record of the sample has "htm_url"\n {2}Try: Did you mean "html_url"/);
    const alone = await devlake(['create-extractor', 'x', 'issue', '--columns', 'url=html_url', '--dir', 'p', '--yes'], { cwd });
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--columns picks columns of a sample: it needs --from-sample');
    expect(tree(cwd)).toEqual(before);
    const ok = await devlake(['create-extractor', 'x', 'issue', '--from-sample', 'issues.json', '--columns', 'url=html_url:text,milestone_id=milestone.id', '--dir', 'p', '--yes'], { cwd });
    expect({ code: ok.code, stderr: ok.stderr }).toEqual({ code: 0, stderr: '' });
    expect(fs.readFileSync(path.join(cwd, 'p/x/tasks/issue-extractor.ts'), 'utf8')).toContain("    url: pick.asIs('html_url'),\n    milestone_id: pick.int('milestone.id'),\n  },");
  });

  it('refuses a migration version that is not a date and time, writing nothing', async () => {
    expect((await devlake(['create-plugin', 'x', '--no-api-client', '--dir', 'p'], { cwd })).code).toBe(0);
    const before = tree(cwd);
    const r = await devlake(['create-migration', 'x', 'add-y', '--migration-version', '99999999999999', '--dir', 'p'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('The migration version "99999999999999" is not a date and time (YYYYMMDDhhmmss, UTC)');
    expect(tree(cwd)).toEqual(before);
  });

  it('prints the real paths and the next steps; running a plugin without subtasks says how to add one', async () => {
    const r = await devlake(['create-plugin', 'myapi', '--endpoint', 'https://api.example.com/', '--yes'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('created   plugins/myapi/index.ts');
    expect(r.stdout).toContain('\nNext:\n  devlake create-collector myapi <name> --http-path <path>');
    expect(r.stdout).toContain('  devlake run myapi');
    expect(r.stdout).toContain('  npx jest --preset devlake-ts plugins/myapi');
    const run = await devlake(['run', 'myapi', '--db', 'sqlite:./x.db'], { cwd, env: { DEVLAKE_PLUGINS_PATH: '' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('DEVLAKE_E_PLUGIN_NO_SUBTASKS');
    expect(run.stderr).toContain('devlake create-collector myapi <name>');
  });

  it('writes into ./plugins outside a toolkit checkout, and names a missing plugin', async () => {
    const r = await devlake(['create-plugin', 'mine', '--no-api-client'], { cwd });
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(cwd, 'plugins/mine/index.ts'))).toBe(true);
    const m = await devlake(['create-migration', 'nope', 'add-x'], { cwd });
    expect(m.code).toBe(2);
    expect(m.stderr).toContain('DEVLAKE_E_GEN_PLUGIN_MISSING');
    expect(m.stderr).toContain('devlake create-plugin nope');
  });
});
