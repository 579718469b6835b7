import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ErrorCodes, type ErrorCode } from 'devlake-ts';
import { databases, type TestDb } from 'devlake-ts/testing';
import { devlake, type CliResult } from '../cli/helpers';
import { addFigures } from './support/figures';
import { databaseDump, diskSnapshot } from './support/snapshots';

/**
 * Bad input, table-driven: every case must fail with one `Error [CODE]` line,
 * a `Try:` hint, the exit code of its code, no stack trace, and leave the
 * disk (working directory, plugin folders) and the database exactly as they were.
 */

const PLUGINS = path.join(__dirname, 'fixtures', 'plugins');
const BAD_PLUGINS = path.join(__dirname, 'fixtures', 'bad-plugins');
const ENDPOINT = ['--endpoint', 'https://api.example.com/'];

interface Env {
  cwd: string;
  db: TestDb;
}

interface BadCase {
  name: string;
  code: ErrorCode;
  args: (env: Env) => string[];
  /** Extra environment; DB_URL defaults to the prepared database. */
  env?: (env: Env) => Record<string, string>;
  /** Runs before the snapshots are taken. */
  setup?: (env: Env) => Promise<void> | void;
  /** Text the error line must contain, when the code alone does not prove the cause. */
  mentions?: string;
  /** Text the `Try:` line must contain: the hint names the next step for this very case. */
  hint?: string;
  /** What stdout must match; default: nothing at all. */
  stdout?: RegExp;
}

const create = (name: string, ...more: string[]) => () => ['create-plugin', name, '--dir', 'plugins', '--yes', ...ENDPOINT, ...more];
const run = (...args: string[]) => () => ['run', ...args];

const cases: BadCase[] = [
  // plugin names
  { name: 'plugin name with ..', code: 'DEVLAKE_E_GEN_NAME', args: create('../x') },
  { name: 'absolute plugin name', code: 'DEVLAKE_E_GEN_NAME', args: create('/abs') },
  { name: 'plugin name with a space', code: 'DEVLAKE_E_GEN_NAME', args: create('a b') },
  { name: 'empty plugin name', code: 'DEVLAKE_E_GEN_NAME', args: create('') },
  { name: 'reserved word (JS) as plugin name', code: 'DEVLAKE_E_GEN_NAME', args: create('class') },
  { name: 'reserved word (toolkit) as plugin name', code: 'DEVLAKE_E_GEN_NAME', args: create('devlake') },
  { name: 'upper-case plugin name', code: 'DEVLAKE_E_GEN_NAME', args: create('MyPlugin') },
  { name: 'very long plugin name', code: 'DEVLAKE_E_GEN_NAME', args: create('a'.repeat(300)) },
  { name: 'plugin name starting with a digit', code: 'DEVLAKE_E_GEN_NAME', args: create('9lives') },
  { name: 'plugin name with a backslash', code: 'DEVLAKE_E_GEN_NAME', args: create('a\\b') },
  { name: 'endpoint that is not http(s)', code: 'DEVLAKE_E_GEN_INVALID_ANSWER', args: () => ['create-plugin', 'okname', '--dir', 'plugins', '--yes', '--endpoint', 'ftp://x/'] },
  { name: 'endpoint with credentials', code: 'DEVLAKE_E_GEN_INVALID_ANSWER', args: () => ['create-plugin', 'okname', '--dir', 'plugins', '--yes', '--endpoint', 'https://u:p@x.example/'] },
  { name: 'create-plugin without answers in CI', code: 'DEVLAKE_E_MISSING_FLAGS', args: () => ['create-plugin', 'okname', '--dir', 'plugins'] },
  {
    name: 'creating an existing plugin without --force',
    code: 'DEVLAKE_E_GEN_CONFLICT',
    // The generator's plan (one line per file, relative to the working directory) shows which file is in conflict.
    stdout: /^(?:(?:identical|conflict) {1,2}plugins\/existing\/\S+\n)+$/,
    setup: async ({ cwd }) => {
      const made = await devlake(create('existing')(), { cwd });
      if (made.code !== 0) throw new Error(`setup: create-plugin failed: ${made.stderr}`);
      const readme = path.join(cwd, 'plugins', 'existing', 'README.md');
      fs.appendFileSync(readme, '\nLocal notes the generator must not overwrite.\n');
    },
    args: create('existing'),
  },
  {
    name: '--dir pointing at a file',
    code: 'DEVLAKE_E_FS_WRITE',
    setup: ({ cwd }) => fs.writeFileSync(path.join(cwd, 'afile'), 'not a directory\n'),
    args: () => ['create-plugin', 'okname', '--dir', 'afile', '--yes', ...ENDPOINT],
    hint: 'A part of the path is a file, not a directory',
  },
  // subtask names (generator)
  { name: 'subtask name with ..', code: 'DEVLAKE_E_GEN_NAME', args: () => ['create-collector', 'flaky', '../x', '--dir', PLUGINS, '--yes'] },
  { name: 'absolute subtask name', code: 'DEVLAKE_E_GEN_NAME', args: () => ['create-extractor', 'flaky', '/abs', '--dir', PLUGINS, '--yes'] },
  { name: 'subtask name with a space', code: 'DEVLAKE_E_GEN_NAME', args: () => ['create-converter', 'flaky', 'a b', '--dir', PLUGINS, '--yes'] },
  { name: 'empty subtask name', code: 'DEVLAKE_E_GEN_NAME', args: () => ['create-extractor', 'flaky', '', '--dir', PLUGINS, '--yes'] },
  { name: 'upper-case subtask name', code: 'DEVLAKE_E_GEN_NAME', args: () => ['create-collector', 'flaky', 'Items', '--dir', PLUGINS, '--yes'] },
  { name: 'reserved subtask name', code: 'DEVLAKE_E_GEN_NAME', args: () => ['create-extractor', 'flaky', 'index', '--dir', PLUGINS, '--yes'] },
  { name: 'very long subtask name', code: 'DEVLAKE_E_GEN_NAME', args: () => ['create-collector', 'flaky', 'b'.repeat(200), '--dir', PLUGINS, '--yes'] },
  { name: 'subtask for a plugin that does not exist', code: 'DEVLAKE_E_GEN_PLUGIN_MISSING', args: () => ['create-collector', 'nosuchplugin', 'items', '--dir', PLUGINS, '--yes'] },
  // running
  { name: 'unknown plugin', code: 'DEVLAKE_E_PLUGIN_NOT_FOUND', args: run('nope') },
  { name: 'plugin given as a relative path', code: 'DEVLAKE_E_PLUGIN_NOT_FOUND', args: run('../flaky') },
  { name: 'plugin given as an absolute path', code: 'DEVLAKE_E_PLUGIN_NOT_FOUND', args: () => ['run', path.join(PLUGINS, 'flaky')] },
  { name: 'unknown subtask', code: 'DEVLAKE_E_SUBTASK_UNKNOWN', args: run('flaky', '--subtasks', 'Collect Nothing') },
  { name: 'subtask given as a path', code: 'DEVLAKE_E_SUBTASK_UNKNOWN', args: run('flaky', '--subtasks', '../x') },
  { name: 'malformed --options JSON', code: 'DEVLAKE_E_OPTIONS_JSON', args: run('flaky', '--options', '{bad') },
  { name: '--options is an array', code: 'DEVLAKE_E_OPTIONS_JSON', args: run('flaky', '--options', '[1]') },
  { name: '--options is a string', code: 'DEVLAKE_E_OPTIONS_JSON', args: run('flaky', '--options', '"text"') },
  { name: '--options is null', code: 'DEVLAKE_E_OPTIONS_JSON', args: run('flaky', '--options', 'null') },
  { name: '--time-after in words', code: 'DEVLAKE_E_TIME_AFTER', args: run('flaky', '--time-after', 'yesterday') },
  { name: '--time-after month 13', code: 'DEVLAKE_E_TIME_AFTER', args: run('flaky', '--time-after', '2024-13-45') },
  { name: '--time-after empty', code: 'DEVLAKE_E_TIME_AFTER', args: run('flaky', '--time-after', '') },
  // A future time-after selects nothing: with --full-sync it once emptied the raw and tool tables, exit 0.
  { name: '--time-after in the future', code: 'DEVLAKE_E_USAGE', args: run('flaky', '--full-sync', '--time-after', '2099-01-01'), mentions: 'in the future' },
  {
    name: '--replay of a missing cassette',
    code: 'DEVLAKE_E_REPLAY_FILE',
    args: run('flaky', '--replay', 'missing.json'),
    // The plugin's own name, never a literal `<plugin>` to fill in.
    hint: 'Record one first with: devlake run flaky --record ',
  },
  { name: '--record with --replay', code: 'DEVLAKE_E_USAGE', args: run('flaky', '--record', 'a.json', '--replay', 'b.json') },
  { name: 'unknown log level', code: 'DEVLAKE_E_USAGE', args: () => ['--log-level', 'loud', 'run', 'flaky'] },
  { name: 'unknown command', code: 'DEVLAKE_E_USAGE', args: () => ['frobnicate'] },
  { name: 'run without a plugin', code: 'DEVLAKE_E_USAGE', args: () => ['run'] },
  { name: 'migrate an unknown plugin', code: 'DEVLAKE_E_PLUGIN_NOT_FOUND', args: () => ['migrate', '--plugin', 'nope'] },
  // database URLs
  { name: 'DB_URL of an unknown kind', code: 'DEVLAKE_E_DB_URL', args: run('flaky'), env: () => ({ DB_URL: 'oracle://root:pw@127.0.0.1/x' }) },
  { name: 'DB_URL sqlite without a file', code: 'DEVLAKE_E_DB_URL', args: run('flaky'), env: () => ({ DB_URL: 'sqlite:' }) },
  { name: 'DB_URL postgres without a host', code: 'DEVLAKE_E_DB_URL', args: run('flaky'), env: () => ({ DB_URL: 'postgres://' }) },
  { name: 'DB_URL with an invalid schema', code: 'DEVLAKE_E_DB_URL', args: run('flaky'), env: () => ({ DB_URL: 'postgres://postgres@127.0.0.1:5432/postgres?schema=x;drop' }) },
  { name: '--db that is not a URL', code: 'DEVLAKE_E_DB_URL', args: () => ['--db', 'devlake.db', 'run', 'flaky'] },
  {
    name: 'DB_URL of a file that is not a database',
    code: 'DEVLAKE_E_DB_CONNECT',
    setup: ({ cwd }) => fs.writeFileSync(path.join(cwd, 'notes.db'), 'These are my notes, not a SQLite database.\n'.repeat(40)),
    args: run('flaky'),
    env: ({ cwd }) => ({ DB_URL: `sqlite:${path.join(cwd, 'notes.db')}` }),
    hint: 'The file is not a SQLite database',
  },
  { name: 'unreachable database', code: 'DEVLAKE_E_DB_CONNECT', args: run('flaky'), env: () => ({ DB_URL: 'postgres://postgres@127.0.0.1:1/postgres' }) },
  // plugin modules
  { name: 'plugin that does not satisfy the contract', code: 'DEVLAKE_E_PLUGIN_INVALID', args: run('broken'), env: () => ({ DEVLAKE_PLUGINS_PATH: BAD_PLUGINS }) },
  { name: 'plugin whose subtask has no entry point', code: 'DEVLAKE_E_PLUGIN_INVALID', args: run('badsubtask'), env: () => ({ DEVLAKE_PLUGINS_PATH: BAD_PLUGINS }) },
  {
    name: 'plugin with a syntax error',
    code: 'DEVLAKE_E_PLUGIN_LOAD',
    // One line with file:line:col and swc's message; its drawn excerpt and backtrace only with --verbose.
    setup: ({ cwd }) => writeSyntaxErrorPlugin(cwd),
    args: run('syntax'),
    env: ({ cwd }) => ({ DEVLAKE_PLUGINS_PATH: path.join(cwd, 'plugins'), DEVLAKE_TS_CACHE: 'off' }),
    mentions: `plugins/syntax/index.ts:3:21: Expression expected`,
  },
  { name: 'plugin module that throws on load', code: 'DEVLAKE_E_PLUGIN_LOAD', args: run('throws'), env: () => ({ DEVLAKE_PLUGINS_PATH: BAD_PLUGINS }) },
  {
    name: 'migration whose checksum changed',
    code: 'DEVLAKE_E_DB_MIGRATION_CHECKSUM',
    mentions: 'Migration plugin:flaky 20240901000001 "add_flaky_items" was changed after it was applied',
    // A copy of the plugin (already migrated into the database) with its applied migration edited.
    setup: ({ cwd }) => {
      const copy = path.join(cwd, 'edited', 'flaky');
      fs.cpSync(path.join(PLUGINS, 'flaky'), copy, { recursive: true });
      const file = path.join(copy, 'migrations.ts');
      const source = fs.readFileSync(file, 'utf8');
      const edited = source.replace("t.string('title', 255)", "t.string('title', 300)");
      if (edited === source) throw new Error('setup: the migration text to edit was not found');
      fs.writeFileSync(file, edited);
    },
    args: run('flaky'),
    env: ({ cwd }) => ({ DEVLAKE_PLUGINS_PATH: path.join(cwd, 'edited') }),
  },
];

/** A plugin whose index.ts does not parse (`'x' +,` at line 3, column 21). */
function writeSyntaxErrorPlugin(cwd: string): void {
  const dir = path.join(cwd, 'plugins', 'syntax');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.ts'), "export default {\n  name: 'syntax',\n  description: 'x' +,\n};\n");
}

/** The stderr of a bad-input failure: `Error [CODE] one line`, `  Try: hint`, maybe `  Caused by:`; nothing else. */
function expectOneLineError(r: CliResult, code: ErrorCode, stdout?: RegExp): void {
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines[0]).toMatch(new RegExp(`^Error \\[${code}\\] \\S.*$`));
  expect(lines.some((l) => /^ {2}Try: \S/.test(l))).toBe(true);
  for (const line of lines.slice(1)) expect(line).toMatch(/^ {2}(Try|Caused by): /);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  // Nothing else on stdout (`--json` readers parse it); knex used to console.log connection errors there.
  if (stdout) expect(r.stdout).toMatch(stdout);
  else expect(r.stdout).toBe('');
  expect(r.code).toBe(ErrorCodes[code]);
}

describe.each(databases())('bad input on $name', (target) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await target.open();
    // Migrated by the CLI itself: checksums are taken from the code that will check them.
    const migrated = await devlake(['migrate', '--plugin', 'flaky'], { env: { DB_URL: db.url, DEVLAKE_PLUGINS_PATH: PLUGINS } });
    expect({ code: migrated.code, stderr: migrated.stderr }).toEqual({ code: 0, stderr: '' });
  });
  afterAll(async () => {
    addFigures('bad-input', { [`cases_${target.name}`]: cases.length });
    await db.drop();
  });

  it('has at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-bad-'));
    try {
      const env: Env = { cwd, db };
      await c.setup?.(env);
      const diskBefore = diskSnapshot(cwd, PLUGINS, BAD_PLUGINS);
      const dbBefore = await databaseDump(db.dal);
      const r = await devlake(c.args(env), { cwd, env: { DB_URL: db.url, DEVLAKE_PLUGINS_PATH: PLUGINS, ...c.env?.(env) } });
      expectOneLineError(r, c.code, c.stdout);
      expect(r.stderr.length).toBeLessThan(1000); // no compiler art, no backtrace, no wall of text
      if (c.mentions) expect(r.stderr.split('\n')[0]).toContain(c.mentions);
      if (c.hint) expect(r.stderr.split('\n').find((l) => l.startsWith('  Try: '))).toContain(c.hint);
      expect(diskSnapshot(cwd, PLUGINS, BAD_PLUGINS)).toEqual(diskBefore);
      expect(await databaseDump(db.dal)).toEqual(dbBefore);
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });
});
