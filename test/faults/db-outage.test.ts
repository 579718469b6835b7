import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { databases, type TestDb } from 'devlake-ts/testing';
import { spawnDevlake } from '../cli/helpers';
import { addFigures } from './support/figures';
import { FAULT_PLUGINS, flakyEnv } from './support/flaky-plugin';
import { startFlakyServer, type FlakyServer } from './support/flaky-server';

/**
 * Issue 13 item 11: the database server stopped in the middle of a run gave
 * `DEVLAKE_E_INTERNAL connect ECONNREFUSED … please report it` and no line for
 * the subtask that failed. The run reaches the database through a TCP proxy
 * here; the proxy is shut (open connections dropped, new ones refused) while
 * the collector works. Wanted: DEVLAKE_E_DB_CONNECT with a hint about the
 * server, the subtask's failure on its own log line, and, once the server is
 * back, a run that completes and marks the stranded task FAILED.
 */

/** A TCP proxy to the database that can be stopped (like a server going down) and started again on the same port. */
class DbProxy {
  #server: net.Server | undefined;
  readonly #sockets = new Set<net.Socket>();
  port = 0;
  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    this.#server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on('close', () => this.#sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.#server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.#server!.address() as net.AddressInfo).port;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
    for (const s of this.#sockets) s.destroy();
    await closed;
    this.#server = undefined;
  }
}

const servers = databases().filter((d) => d.name !== 'sqlite'); // SQLite has no server to lose

// Under DEVLAKE_TEST_DBS=sqlite there is no server to stop: the file then states just that.
if (servers.length === 0) it('has no server database to stop (DEVLAKE_TEST_DBS names only SQLite)', () => expect(servers).toEqual([]));
else describe.each(servers)('database server lost mid-run on $name', (target) => {
  let db: TestDb;
  let proxy: DbProxy;
  let server: FlakyServer;
  let cwd: string;
  let stopAt = 0;

  beforeAll(async () => {
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-outage-'));
    server = await startFlakyServer({
      pages: 12,
      pageSize: 10,
      maxRequests: 1000,
      onRequest: async (req) => {
        if (stopAt && req.n >= stopAt) {
          stopAt = 0;
          await proxy.stop(); // the database goes down while this page is on its way
        }
      },
    });
  });
  afterAll(async () => {
    await server?.close();
    fs.rmSync(cwd, { recursive: true, force: true });
  });
  beforeEach(async () => {
    db = await target.open();
    const u = new URL(db.url);
    proxy = new DbProxy({ host: u.hostname, port: Number(u.port) });
    await proxy.start();
  });
  afterEach(async () => {
    await proxy.stop();
    await db.drop();
  });

  const proxiedUrl = () => {
    const u = new URL(db.url);
    u.port = String(proxy.port);
    return u.toString();
  };
  const run = () =>
    spawnDevlake(['run', 'flaky', '--options', '{"pageSize":10}'], {
      cwd,
      env: { DB_URL: proxiedUrl(), DEVLAKE_PLUGINS_PATH: FAULT_PLUGINS, ...flakyEnv(server.url, { FLAKY_API_TIMEOUT: '10s' }) },
      timeoutMs: 90_000,
    }).done;

  it('fails with DEVLAKE_E_DB_CONNECT and a line for the failed subtask; after the restart the next run completes and fails the stranded task', async () => {
    stopAt = server.stats.requests + 4; // during the 4th page of this run
    const lost = await run();
    expect(lost.code).toBe(1);
    expect(lost.stderr).toContain('Error [DEVLAKE_E_DB_CONNECT]');
    expect(lost.stderr).not.toContain('DEVLAKE_E_INTERNAL');
    expect(lost.stderr).not.toContain('please report');
    expect(lost.stderr).toMatch(/ERROR \[flaky\] subtask Collect Items failed: Lost the database connection during subtask "Collect Items"/);
    expect(lost.stderr).toMatch(/Try: Check that the database server is running/);

    await proxy.start(); // the server is back, on the same port
    const next = await run();
    expect({ code: next.code, stderr: next.code === 0 ? '' : next.stderr }).toEqual({ code: 0, stderr: '' });
    const tasks = await db.dal.knex('_devlake_ts_tasks').orderBy('id').select('status', 'error_code');
    expect(tasks.map((t: { status: string }) => t.status)).toEqual(['FAILED', 'COMPLETED']);
    // The lost run could not record its end (the database was gone): the next run's start found it stranded.
    expect(tasks.map((t: { error_code: string | null }) => t.error_code)).toEqual(['DEVLAKE_E_RUN_ABANDONED', null]);
    expect(Number((await db.dal.knex('_raw_flaky_api_items').count({ n: '*' }))[0].n)).toBe(120);
    addFigures('db-outage', { db_outages: 1 });
  }, 120_000);
});
