import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { databases, type TestDb } from 'devlake-ts/testing';
import { addFigures } from './support/figures';
import { pageItems, startFlakyServer, type FlakyServer, type OverrideReply, type PageRequest } from './support/flaky-server';
import { FAULT_PLUGINS, flakyEnv } from './support/flaky-plugin';
import { databaseDump } from './support/snapshots';
import { spawnDevlake } from '../cli/helpers';

/**
 * With a token and a database password set, runs with --verbose, --record,
 * failing requests (whose error bodies echo the credentials) and failing
 * connections: neither secret may appear, literally or URL-encoded, in any
 * output line, cassette or database row. Failures report where a secret was
 * found, never the text around it, so the test output cannot leak it either.
 */

const TOKEN = 'ghp_Fault/Suite+T0ken=Zq9';
const DB_PASSWORD = 'Db#Pa55/w:rd@faults';
const SECRETS = { token: TOKEN, 'db password': DB_PASSWORD };

/** Every form a secret is searched in. */
function forms(secret: string): string[] {
  return [...new Set([secret, encodeURIComponent(secret), encodeURI(secret)])];
}

/** Where each secret form occurs in `texts` (by label), as `label: secret (form n) ×count`. */
function occurrences(texts: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [label, text] of Object.entries(texts)) {
    for (const [name, secret] of Object.entries(SECRETS)) {
      forms(secret).forEach((form, i) => {
        const count = text.split(form).length - 1;
        if (count > 0) found.push(`${label}: ${name} (form ${i}) ×${count}`);
      });
    }
  }
  return found;
}

type Mode = 'ok-echo-header' | 'unauthorized-echo' | 'server-error-echo';

/** Answers that hand the credentials back, as careless APIs and proxies do. */
function echo(mode: () => Mode, pageSize: number, total: number, seen: { withToken: number }) {
  return (req: PageRequest): OverrideReply | undefined => {
    const auth = String(req.headers.authorization ?? '');
    if (auth === `Bearer ${TOKEN}`) seen.withToken++;
    switch (mode()) {
      case 'ok-echo-header':
        return {
          status: 200,
          headers: { 'x-echo-authorization': auth, 'set-cookie': `session=${encodeURIComponent(auth)}` },
          body: JSON.stringify({ total_pages: Math.ceil(total / pageSize), items: pageItems(req.page, pageSize, total) }),
        };
      case 'unauthorized-echo':
        return { status: 401, body: JSON.stringify({ message: `Bad credentials: ${auth}`, token: TOKEN }) };
      case 'server-error-echo':
        return { status: 502, body: `<html>proxy error for ${auth} ${encodeURIComponent(TOKEN)}</html>` };
    }
  };
}

describe.each(databases())('secrets on $name', (target) => {
  let db: TestDb;
  let server: FlakyServer;
  let cwd: string;
  let mode: Mode = 'ok-echo-header';
  let dbUrl: string;
  const seen = { withToken: 0 };

  beforeAll(async () => {
    db = await target.open();
    // Postgres here trusts local connections, so the password is accepted and never checked: it only has to stay hidden.
    dbUrl = target.name === 'postgres' ? db.url.replace('postgres://postgres@', `postgres://postgres:${encodeURIComponent(DB_PASSWORD)}@`) : db.url;
    server = await startFlakyServer({ pages: 3, pageSize: 5, override: echo(() => mode, 5, 15, seen) });
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-secrets-'));
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
    fs.rmSync(cwd, { recursive: true, force: true });
  });

  const baseEnv = (extra: Record<string, string> = {}) => ({
    DB_URL: dbUrl,
    DEVLAKE_PLUGINS_PATH: FAULT_PLUGINS,
    ...flakyEnv(server.url, { FLAKY_API_RETRY: '1' }),
    FLAKY_TOKEN: TOKEN,
    ...extra,
  });

  it('appear in no log line, error, cassette or database row, under --verbose, --record, failing requests and connections', async () => {
    const outputs: Record<string, string> = {};
    const run = async (label: string, args: string[], env: Record<string, string>, expected: number) => {
      const r = await spawnDevlake(['--verbose', ...args], { cwd, env }).done;
      outputs[`${label} stdout`] = r.stdout;
      outputs[`${label} stderr`] = r.stderr;
      expect({ label, code: r.code }).toEqual({ label, code: expected });
      return r;
    };

    mode = 'ok-echo-header';
    const recorded = await run('record, success', ['run', 'flaky', '--record', 'ok.cassette.json', '--options', '{"pageSize":5}'], baseEnv(), 0);
    expect(/\] (DEBUG|INFO) /.test(recorded.stderr)).toBe(true);

    mode = 'unauthorized-echo';
    const denied = await run('record, 401', ['run', 'flaky', '--record', 'denied.cassette.json', '--options', '{"pageSize":5}'], baseEnv(), 1);
    expect({ code: 'DEVLAKE_E_API_AUTH', found: denied.stderr.includes('DEVLAKE_E_API_AUTH') }).toEqual({ code: 'DEVLAKE_E_API_AUTH', found: true });

    mode = 'server-error-echo';
    const failing = await run('502 until retries run out', ['run', 'flaky', '--options', '{"pageSize":5}'], baseEnv(), 1);
    expect({ code: 'DEVLAKE_E_API_RETRIES_EXHAUSTED', found: failing.stderr.includes('DEVLAKE_E_API_RETRIES_EXHAUSTED') }).toEqual({ code: 'DEVLAKE_E_API_RETRIES_EXHAUSTED', found: true });

    // The token from .env instead of the environment.
    mode = 'unauthorized-echo';
    fs.writeFileSync(path.join(cwd, '.env'), `FLAKY_TOKEN=${TOKEN}\n`);
    const fromDotenv = await run('token from .env, 401', ['run', 'flaky', '--options', '{"pageSize":5}'], { ...baseEnv(), FLAKY_TOKEN: '' }, 1);
    expect({ code: 'DEVLAKE_E_API_AUTH', found: fromDotenv.stderr.includes('DEVLAKE_E_API_AUTH') }).toEqual({ code: 'DEVLAKE_E_API_AUTH', found: true });
    fs.rmSync(path.join(cwd, '.env'));

    const refused = await run('API connection refused', ['run', 'flaky', '--options', '{"pageSize":5}'], baseEnv({ FLAKY_ENDPOINT: 'http://127.0.0.1:1/' }), 1);
    expect(/DEVLAKE_E_API_(NETWORK|RETRIES_EXHAUSTED)/.test(refused.stderr)).toBe(true);

    const dbDown = await run(
      'database unreachable',
      ['run', 'flaky'],
      baseEnv({ DB_URL: `postgres://postgres:${encodeURIComponent(DB_PASSWORD)}@127.0.0.1:1/postgres` }),
      1,
    );
    expect({ code: 'DEVLAKE_E_DB_CONNECT', found: dbDown.stderr.includes('DEVLAKE_E_DB_CONNECT') }).toEqual({ code: 'DEVLAKE_E_DB_CONNECT', found: true });
    const badDbFlag = await run('database unreachable (--db)', ['--db', `postgres://faults:${encodeURIComponent(DB_PASSWORD)}@127.0.0.1:1/x`, 'migrate'], baseEnv(), 1);
    expect({ code: 'DEVLAKE_E_DB_CONNECT', found: badDbFlag.stderr.includes('DEVLAKE_E_DB_CONNECT') }).toEqual({ code: 'DEVLAKE_E_DB_CONNECT', found: true });

    // The secrets were really used: the API saw the token, the runs reached the database.
    // 3 pages recorded, one 401, a 502 and its retry, one 401 with the token from .env.
    expect(seen.withToken).toBe(3 + 1 + 2 + 1);
    const cassettes: Record<string, string> = {};
    for (const f of fs.readdirSync(cwd).filter((n) => n.endsWith('.json'))) cassettes[`cassette ${f}`] = fs.readFileSync(path.join(cwd, f), 'utf8');
    expect(Object.keys(cassettes).sort()).toEqual(['cassette denied.cassette.json', 'cassette ok.cassette.json']);
    expect(cassettes['cassette ok.cassette.json'].includes('/items?page=1')).toBe(true);
    const dump = await databaseDump(db.dal);
    const tables: Record<string, string> = Object.fromEntries(Object.entries(dump).map(([t, rows]) => [`table ${t}`, rows.join('\n')]));
    expect(Object.keys(tables)).toContain('table _devlake_ts_subtasks');
    expect(tables['table _devlake_ts_subtasks'].includes('DEVLAKE_E_API_AUTH')).toBe(true);

    const found = occurrences({ ...outputs, ...cassettes, ...tables });
    addFigures('secrets', { secret_occurrences: found.length, secret_places_searched: Object.keys({ ...outputs, ...cassettes, ...tables }).length });
    expect(found).toEqual([]);
  });
});
