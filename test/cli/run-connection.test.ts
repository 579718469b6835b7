import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConnectionStore } from '../../src/connections/connection-store';
import { SecretBox } from '../../src/connections/secrets';
import { createDal } from '../../src/dal/connect';
import { startServer, type TestServer } from '../helpers/api-test-server';
import { devlake } from './helpers';

const SECRET = 'run-connection-secret-0123456789';
const TOKEN = 'saved-token-PLAINTEXT-8080';

describe('devlake run --connection <id|name>', () => {
  let dir: string;
  let api: TestServer;
  beforeAll(async () => {
    api = await startServer((req) =>
      req.headers.authorization === `Bearer ${TOKEN}` ? { body: { committers: { alice: 'Alice A.', bob: 'Bob B.', carol: 'Carol C.' } } } : { status: 401, body: {} },
    );
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-runconn-'));
    // Migrated by the CLI itself, as a user's database would be; the test only adds the connection.
    expect((await devlake(['migrate'], { cwd: dir, env: { DEVLAKE_PLUGINS_PATH: '' } })).code).toBe(0);
    const dal = await createDal(`sqlite:${path.join(dir, 'devlake.db')}`);
    await new ConnectionStore(dal, () => new SecretBox(SECRET)).create('icla', { name: 'apache', endpoint: api.url, auth: { type: 'bearer', token: TOKEN } });
    await dal.close();
  });
  afterAll(async () => {
    await api.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs with the saved endpoint and token instead of ICLA_* variables, by name or id, never printing the token', async () => {
    const env = { DEVLAKE_PLUGINS_PATH: '', DEVLAKE_ENCRYPTION_SECRET: SECRET, ICLA_ENDPOINT: 'http://127.0.0.1:9/', ICLA_TOKEN: 'env-token-ignored' };
    const byName = await devlake(['run', 'icla', '--connection', 'apache', '--json'], { cwd: dir, env });
    expect(byName.stderr).not.toContain(TOKEN);
    expect(byName.code).toBe(0);
    const summary = JSON.parse(byName.stdout) as { status: string; subtasks: Array<{ rowsWritten: number }> };
    expect(summary.status).toBe('COMPLETED');
    expect(summary.subtasks[0].rowsWritten).toBe(3);
    expect(api.requests.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);

    const byId = await devlake(['run', 'icla', '--connection', '1', '--json'], { cwd: dir, env });
    expect(byId.code).toBe(0);
    expect((JSON.parse(byId.stdout) as { status: string }).status).toBe('COMPLETED');
  });

  it('runs a pipeline task whose options name a saved connectionId with that connection; an unsaved id keeps the environment', async () => {
    const env = { DEVLAKE_PLUGINS_PATH: '', DEVLAKE_ENCRYPTION_SECRET: SECRET, ICLA_ENDPOINT: api.url, ICLA_TOKEN: 'env-token-refused' };
    const before = api.requests.length;
    const plan = JSON.stringify([[{ plugin: 'icla', options: { connectionId: 1, scope: 'saved' } }, { plugin: 'icla', options: { connectionId: 7, scope: 'unsaved' } }]]);
    // One task at a time: the connections are the point here, not parallel writers on one SQLite file.
    const res = await devlake(['pipeline', 'run', '--plan', plan, '--parallel', '1', '--skip-on-fail', '--json'], { cwd: dir, env });
    expect(res.stderr).not.toContain(TOKEN);
    const summary = JSON.parse(res.stdout) as { status: string; tasks: Array<{ status: string }> };
    // connectionId 1 is saved: its token; 7 is not: ICLA_TOKEN, which this API refuses.
    expect(summary.tasks.map((t) => t.status)).toEqual(['COMPLETED', 'FAILED']);
    expect(summary.status).toBe('PARTIAL');
    const auths = api.requests.slice(before).map((r) => r.headers.authorization);
    expect(new Set(auths)).toEqual(new Set([`Bearer ${TOKEN}`, 'Bearer env-token-refused']));
  });

  it('fails with a clear code for an unknown connection or a missing key', async () => {
    const unknown = await devlake(['run', 'icla', '--connection', 'nope'], { cwd: dir, env: { DEVLAKE_PLUGINS_PATH: '', DEVLAKE_ENCRYPTION_SECRET: SECRET } });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('DEVLAKE_E_CONNECTION_NOT_FOUND');
    const noKey = await devlake(['run', 'icla', '--connection', 'apache'], { cwd: dir, env: { DEVLAKE_PLUGINS_PATH: '', DEVLAKE_ENCRYPTION_SECRET: '' } });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('DEVLAKE_E_SECRET_KEY_MISSING');
  });
});
