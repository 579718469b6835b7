import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { databases, type TestDb } from 'devlake-ts/testing';
import { CASSETTE_FILE } from '../fixtures/make-cassette';

/** The `devlake` executable of the installed devlake-ts package. */
const BIN = path.join(path.dirname(require.resolve('devlake-ts/package.json')), 'bin', 'devlake');
/** The folder holding this plugin, for DEVLAKE_PLUGINS_PATH. */
const PLUGINS = path.resolve(__dirname, '..', '..');
const TOKEN = 'icla-test-token-5f3a9c';

/** The response body people.apache.org would send: the one in the bundled cassette. */
const BODY = JSON.stringify(
  (JSON.parse(fs.readFileSync(CASSETTE_FILE, 'utf8')) as { interactions: Array<{ response: { json: unknown } }> }).interactions[0].response.json,
);

interface Served {
  url: string;
  authorizations: Array<string | undefined>;
  close(): Promise<void>;
}

/** A local people.apache.org: serves public/icla-info.json, answers at most 10 requests. */
function serve(): Promise<Served> {
  const authorizations: Array<string | undefined> = [];
  const server = http.createServer((req, res) => {
    authorizations.push(req.headers.authorization);
    if (authorizations.length > 10 || req.url !== '/public/icla-info.json') {
      res.writeHead(404).end('{}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(BODY);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/`,
        authorizations,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

/** Runs `devlake …` in a child process, bounded in time. */
function devlake(args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, CI: 'true', DEVLAKE_PLUGINS_PATH: PLUGINS, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`devlake ${args.join(' ')} timed out:\n${output}`));
    }, 60_000);
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe.each(databases())('devlake run icla on $name', ({ open }) => {
  let db: TestDb;
  let cwd: string;
  beforeEach(async () => {
    db = await open();
    cwd = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'icla-run-'));
  });
  afterEach(async () => {
    await db.drop();
    fs.rmSync(cwd, { recursive: true, force: true });
  });

  const tables = async () => ({
    raw: Number((await db.dal.knex('_raw_icla_committer').count({ n: '*' }))[0].n),
    tool: await db.dal.knex('_tool_icla_committer').select('user_name', 'name').orderBy('user_name'),
    accounts: await db.dal.knex('accounts').select('id', 'user_name', 'full_name').orderBy('id'),
  });

  it('sends ICLA_TOKEN as a bearer header, logs DevLake steps and fills raw, tool and accounts; a second run gives the same tables', async () => {
    const server = await serve();
    try {
      const env = { ICLA_ENDPOINT: server.url, ICLA_TOKEN: TOKEN };
      const first = await devlake(['run', 'icla', '--db', db.url], env, cwd);
      expect({ code: first.code, output: first.code === 0 ? '' : first.output }).toEqual({ code: 0, output: '' });
      expect(first.output).toContain('[icla] total step: 3');
      expect(first.output).toContain('finished step: 1 / 3');
      expect(first.output).toContain('finished step: 3 / 3');
      expect(first.output).not.toContain(TOKEN);
      expect(server.authorizations).toEqual([`Bearer ${TOKEN}`]);

      const after = await tables();
      expect(after.raw).toBe(3000);
      expect(after.tool).toHaveLength(3000);
      expect(after.accounts).toHaveLength(3000);
      expect(after.accounts.find((a: { user_name: string }) => a.user_name === 'zoea')).toEqual({
        id: 'icla:IclaCommitter:zoea',
        user_name: 'zoea',
        full_name: 'Zoë "Zo" Ångström',
      });

      const second = await devlake(['run', 'icla', '--db', db.url], env, cwd);
      expect(second.code).toBe(0);
      expect(await tables()).toEqual(after);
    } finally {
      await server.close();
    }
  });

  it('reads ICLA_TOKEN from .env in the working directory and never logs it, even at debug level', async () => {
    const server = await serve();
    try {
      fs.writeFileSync(path.join(cwd, '.env'), `ICLA_TOKEN=${TOKEN}\nLOG_LEVEL=debug\n`);
      const r = await devlake(['run', 'icla', '--db', db.url], { ICLA_ENDPOINT: server.url }, cwd);
      expect({ code: r.code, output: r.code === 0 ? '' : r.output }).toEqual({ code: 0, output: '' });
      expect(server.authorizations).toEqual([`Bearer ${TOKEN}`]);
      expect(r.output).not.toContain(TOKEN);
      expect(r.output).toContain('[icla] total step: 3');
      // The init script's table: the run's scope, recorded by prepareTaskData.
      expect(await db.dal.knex('_tool_icla_scopes').select('scope')).toEqual([{ scope: 'default' }]);
    } finally {
      await server.close();
    }
  });

  it('runs offline from the bundled cassette with --replay', async () => {
    const r = await devlake(['run', 'icla', '--replay', '--db', db.url], { ICLA_ENDPOINT: '' }, cwd);
    expect({ code: r.code, output: r.code === 0 ? '' : r.output }).toEqual({ code: 0, output: '' });
    const t = await tables();
    expect([t.raw, t.tool.length, t.accounts.length]).toEqual([3000, 3000, 3000]);
  });
});
