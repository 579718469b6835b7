import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { hasErrorCode } from 'devlake-ts';
import { databases, type TestDb } from 'devlake-ts/testing';
import { acquireLock, ensureLockTable, isHolderAlive, isLockFree, LOCKS_TABLE, readLock, tryAcquireLock, type LockHolder } from '../../src/dal/db-lock';
import { createDal } from '../../src/dal/connect';

const HINT = { what: 'a run of "demo" with these options', hint: 'Add --wait.' };

/** A pid that is certainly not running: a child that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}

describe.each(databases())('database lock on $name', (target) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await target.open();
  });
  afterEach(() => db.drop());

  it('is held by one holder at a time; the other attempt names the holder; release frees it', async () => {
    const first = await tryAcquireLock(db.dal, 'run:demo:a', { description: 'devlake run demo {}' });
    expect(first.acquired).toBe(true);
    // A second connection pool stands for a second process (on Postgres: a second session).
    const other = await createDal(db.url);
    try {
      const second = await tryAcquireLock(other, 'run:demo:a');
      expect(second.acquired).toBe(false);
      if (second.acquired) return;
      expect(second.holder).toMatchObject({ host: os.hostname(), pid: process.pid, description: 'devlake run demo {}' });
      expect(Math.abs(second.holder.startedAt.getTime() - Date.now())).toBeLessThan(60_000);
      // Another name is independent.
      const elsewhere = await tryAcquireLock(other, 'run:demo:b');
      expect(elsewhere.acquired).toBe(true);
      if (elsewhere.acquired) await elsewhere.lock.release();

      const err = await acquireLock(other, 'run:demo:a', HINT).catch((e: unknown) => e);
      expect(hasErrorCode(err, 'DEVLAKE_E_RUN_LOCKED')).toBe(true);
      expect((err as Error).message).toContain(`pid ${process.pid} on host ${os.hostname()}`);
      expect((err as Error).message).toMatch(/started \d{4}-\d\d-\d\dT/);
      expect((err as { hint: string }).hint).toBe('Add --wait.');

      if (first.acquired) await first.lock.release();
      expect(await readLock(db.dal, 'run:demo:a')).toBeUndefined();
      const third = await tryAcquireLock(other, 'run:demo:a');
      expect(third.acquired).toBe(true);
      if (third.acquired) await third.lock.release();
    } finally {
      await other.close();
    }
  });

  it('with wait, starts as soon as the holder releases, and a cancel ends the wait', async () => {
    const first = await tryAcquireLock(db.dal, 'run:demo:w');
    if (!first.acquired) throw new Error('setup');
    const other = await createDal(db.url);
    try {
      const waited = acquireLock(other, 'run:demo:w', { ...HINT, wait: true });
      await new Promise((r) => setTimeout(r, 700));
      const t0 = Date.now();
      await first.lock.release();
      const second = await waited;
      expect(Date.now() - t0).toBeLessThan(2000);
      const controller = new AbortController();
      const third = acquireLock(db.dal, 'run:demo:w', { ...HINT, wait: true, signal: controller.signal });
      setTimeout(() => controller.abort(), 300);
      expect(hasErrorCode(await third.catch((e: unknown) => e), 'DEVLAKE_E_CANCELLED')).toBe(true);
      await second.release();
    } finally {
      await other.close();
    }
  });

  it('takes over the lock of a holder gone from another host once its heartbeat has expired, never before', async () => {
    await ensureLockTable(db.dal);
    const old = Date.now() - 120_000;
    await db.dal.knex(LOCKS_TABLE).insert({ name: 'run:demo:x', token: 't0', owner_host: 'elsewhere.example', owner_pid: 4242, description: 'run on another machine', started_at: old, heartbeat_at: old });
    if (target.name !== 'postgres') {
      const fresh = await tryAcquireLock(db.dal, 'run:demo:x', { staleAfterMs: 10 * 60_000 });
      expect(fresh.acquired).toBe(false); // 2 minutes without a heartbeat is not stale when the limit is 10
    }
    // On Postgres the row's holder has no session holding the advisory lock: gone, whatever the heartbeat says.
    expect(await isLockFree(db.dal, 'run:demo:x', target.name === 'postgres' ? 10 * 60_000 : 60_000)).toBe(true);
    const taken = await tryAcquireLock(db.dal, 'run:demo:x', { staleAfterMs: 60_000 });
    expect(taken.acquired).toBe(true);
    if (!taken.acquired) return;
    expect(taken.lock.tookOver).toMatchObject({ host: 'elsewhere.example', pid: 4242, description: 'run on another machine' });
    expect(await readLock(db.dal, 'run:demo:x')).toMatchObject({ host: os.hostname(), pid: process.pid });
    await taken.lock.release();
  });

  it('takes over at once the lock of a dead process on this host', async () => {
    await ensureLockTable(db.dal);
    const now = Date.now();
    const pid = await deadPid();
    await db.dal.knex(LOCKS_TABLE).insert({ name: 'run:demo:k', token: 't0', owner_host: os.hostname(), owner_pid: pid, description: 'killed', started_at: now, heartbeat_at: now });
    const taken = await tryAcquireLock(db.dal, 'run:demo:k');
    expect(taken.acquired).toBe(true);
    if (taken.acquired) {
      expect(taken.lock.tookOver?.pid).toBe(pid);
      await taken.lock.release();
    }
  });

  it('lets exactly one of several processes take over a stale lock at once', async () => {
    await ensureLockTable(db.dal);
    const old = Date.now() - 600_000;
    await db.dal.knex(LOCKS_TABLE).insert({ name: 'run:demo:race', token: 't0', owner_host: 'gone.example', owner_pid: 1, description: '', started_at: old, heartbeat_at: old });
    const dals = await Promise.all([1, 2, 3, 4].map(() => createDal(db.url)));
    try {
      const results = await Promise.all(dals.map((d) => tryAcquireLock(d, 'run:demo:race')));
      expect(results.filter((r) => r.acquired)).toHaveLength(1);
      for (const r of results) if (r.acquired) await r.lock.release();
    } finally {
      await Promise.all(dals.map((d) => d.close()));
    }
  });

  it('keeps its heartbeat fresh, and tells its holder when another process took it over', async () => {
    const lost = jest.fn();
    const got = await tryAcquireLock(db.dal, 'run:demo:hb', { heartbeatMs: 100, onLost: lost });
    if (!got.acquired) throw new Error('setup');
    const [before] = await db.dal.knex(LOCKS_TABLE).where({ name: 'run:demo:hb' }).select('heartbeat_at');
    await new Promise((r) => setTimeout(r, 400));
    const [after] = await db.dal.knex(LOCKS_TABLE).where({ name: 'run:demo:hb' }).select('heartbeat_at');
    expect(Number(after.heartbeat_at)).toBeGreaterThan(Number(before.heartbeat_at));
    // Another process decided this holder was gone and replaced the row.
    await db.dal.knex(LOCKS_TABLE).where({ name: 'run:demo:hb' }).update({ token: 'someone-else', owner_host: 'other.example', owner_pid: 7 });
    await new Promise((r) => setTimeout(r, 400));
    expect(lost).toHaveBeenCalledTimes(1);
    expect(lost.mock.calls[0][0]).toMatchObject({ host: 'other.example', pid: 7 });
    await got.lock.release();
    // Releasing a lost lock leaves the new holder's row alone.
    expect(await readLock(db.dal, 'run:demo:hb')).toMatchObject({ host: 'other.example' });
  });
});

describe('a holder on this host', () => {
  const holder = (pid: number): LockHolder => ({ name: 'run:demo:z', host: os.hostname(), pid, description: 'x', startedAt: new Date(), heartbeatAt: new Date(), heartbeatAgeMs: 0 });

  it('is alive while its process runs and dead once it exits', async () => {
    expect(isHolderAlive(holder(process.pid))).toBe(true);
    expect(isHolderAlive(holder(await deadPid()))).toBe(false);
  });

  // A SIGKILLed `devlake run` child is reparented to PID 1, which may reap it late; signal 0 still reaches a zombie.
  (process.platform === 'linux' ? it : it.skip)('is dead once killed, even while its zombie waits to be reaped (Linux)', async () => {
    // `sh` starts `sleep 60` in the background, then becomes `sleep 5`, which never reaps its child.
    const parent = spawn('sh', ['-c', 'sleep 60 & echo $!; exec sleep 5'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const pid = Number(await new Promise<string>((resolve) => parent.stdout!.once('data', (d) => resolve(String(d)))));
    // Kill only once the shell has become `sleep 5`: a shell still running would reap its child itself.
    const comm = () => fs.readFileSync(`/proc/${parent.pid}/comm`, 'utf8').trim();
    for (let i = 0; i < 100 && comm() !== 'sleep'; i++) await new Promise((r) => setTimeout(r, 20));
    try {
      expect(isHolderAlive(holder(pid))).toBe(true);
      process.kill(pid, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 200));
      expect(() => process.kill(pid, 0)).not.toThrow(); // still in the process table: a zombie
      expect(isHolderAlive(holder(pid))).toBe(false);
    } finally {
      parent.kill('SIGKILL');
    }
  });
});
