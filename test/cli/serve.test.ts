import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { devlake, spawnDevlake, type RunningCli } from './helpers';

const TOKEN = 'cli-token-PLAINTEXT-4242';

/** Starts `devlake serve` in `cwd` and resolves with its URL once it listens. */
async function serve(cwd: string, args: string[], env: Record<string, string> = {}): Promise<{ run: RunningCli; url: string; stderr: () => string }> {
  let all = '';
  let resolveUrl!: (url: string) => void;
  const url = new Promise<string>((resolve) => (resolveUrl = resolve));
  const run = spawnDevlake(['serve', '--port', '0', ...args], {
    cwd,
    env: { DEVLAKE_PLUGINS_PATH: '', ...env },
    timeoutMs: 60_000,
    onStderr: (_chunk, _child, stderr) => {
      all = stderr;
      const m = / on (http:\/\/[^\s]+) \(plugins/.exec(stderr);
      if (m) resolveUrl(m[1]);
    },
  });
  const early = run.done.then((r) => {
    throw new Error(`devlake serve exited ${r.code}: ${r.stderr}`);
  });
  return { run, url: await Promise.race([url, early]), stderr: () => all };
}

async function stop(run: RunningCli): Promise<number | null> {
  run.child.kill('SIGTERM');
  return (await run.done).code;
}

describe('devlake serve (a real listening server)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-serve-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('serves the page and the API on 127.0.0.1, writes an encryption secret to .env, stops on SIGTERM', async () => {
    const { run, url, stderr } = await serve(dir, []);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script type="module" src="/app.js">');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetch(`${url}/app.js`)).headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await (await fetch(`${url}/health`)).json()).toEqual({ ok: true, database: 'ok', queue: 'in process' });
    const created = await fetch(`${url}/plugins/icla/connections`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'apache', endpoint: 'https://people.apache.org/', auth: { type: 'bearer', token: TOKEN } }),
    });
    expect(created.status).toBe(201);
    const body = await created.text();
    expect(body).toContain('"token":"********"');
    expect(await stop(run)).toBe(0);

    const env = fs.readFileSync(path.join(dir, '.env'), 'utf8');
    const secret = /^DEVLAKE_ENCRYPTION_SECRET=([0-9a-f]{64})$/m.exec(env)?.[1];
    expect(secret).toBeDefined();
    expect(fs.statSync(path.join(dir, '.env')).mode & 0o077).toBe(0);
    expect(stderr()).toContain('generated DEVLAKE_ENCRYPTION_SECRET');
    expect(stderr()).not.toContain(secret!);
    expect(stderr()).not.toContain(TOKEN);
    const db = fs.readFileSync(path.join(dir, 'devlake.db'));
    expect(db.includes(TOKEN)).toBe(false);

    // Rotation: a new key, the old one as previous; afterwards the new key alone reads the secret.
    const rotated = await devlake(['secrets', 'rotate'], { cwd: dir, env: { DEVLAKE_ENCRYPTION_SECRET: 'a-brand-new-secret-0123456789', DEVLAKE_ENCRYPTION_SECRET_PREVIOUS: secret! } });
    expect(rotated.stdout).toMatch(/^re-encrypted 1 connection secret\(s\) with key [0-9a-f]{12}; 0 already used it$/m);
    expect(rotated.code).toBe(0);
    const again = await devlake(['secrets', 'rotate'], { cwd: dir, env: { DEVLAKE_ENCRYPTION_SECRET: 'a-brand-new-secret-0123456789' } });
    expect(again.stdout).toMatch(/re-encrypted 0 connection secret\(s\) .*; 1 already used it/);
    const wrong = await devlake(['secrets', 'rotate'], { cwd: dir, env: { DEVLAKE_ENCRYPTION_SECRET: 'yet-another-secret-0123456789' } });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('DEVLAKE_E_SECRET_DECRYPT');
  });

  it('off loopback: refuses to start without an API key, and with one answers 401 to anyone without it', async () => {
    const refused = await devlake(['serve', '--host', '0.0.0.0', '--port', '0'], { cwd: dir, env: { DEVLAKE_ENCRYPTION_SECRET: 'x'.repeat(32) } });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('DEVLAKE_E_SERVER_API_KEY_REQUIRED');

    const created = await devlake(['api-key', 'create', '--name', 'ci'], { cwd: dir });
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^dlk_[A-Za-z0-9_-]{43}$/);
    const listed = await devlake(['api-key', 'list'], { cwd: dir });
    expect(listed.stdout).toContain('ci  dlk_');
    expect(listed.stdout).not.toContain(key);

    const { run, url } = await serve(dir, ['--host', '0.0.0.0'], { DEVLAKE_ENCRYPTION_SECRET: 'x'.repeat(32) });
    const local = url.replace('0.0.0.0', '127.0.0.1');
    expect((await fetch(`${local}/plugins`)).status).toBe(401);
    expect((await fetch(`${local}/plugins`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    expect((await fetch(`${local}/`)).status).toBe(200); // the page itself asks for the key
    expect(await stop(run)).toBe(0);
  });
});
