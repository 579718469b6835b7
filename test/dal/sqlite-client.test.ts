import { spawn } from 'node:child_process';
import { freshDatabase, type TestDb } from '../../src/testing/databases';

/**
 * SQLite transactions from several processes on one file (src/dal/sqlite/client.ts).
 * A transaction that reads first and writes later must not fail when another
 * process commits in between: in WAL mode a deferred transaction's read
 * snapshot cannot become a write once another connection has committed
 * (SQLITE_BUSY_SNAPSHOT, "database is locked", at once, busy_timeout or not).
 * Seen as an extraction's "Cannot replace the rows of …" while other
 * `devlake run --wait` processes took and released the migrations lock.
 */
describe('SQLite transactions beside another process', () => {
  let db: TestDb;
  beforeEach(async () => {
    db = await freshDatabase('sqlite::memory:');
    await db.dal.knex.schema.createTable('t', (t) => t.integer('id').primary());
    await db.dal.knex.schema.createTable('other', (t) => t.integer('id').primary());
    await db.dal.insert('t', [{ id: 1 }, { id: 2 }]);
  });
  afterEach(async () => {
    await db.drop();
  });

  /**
   * Another process on `file` that, once started, takes the write lock (waiting up to 20 s for it), runs `sql`,
   * holds the lock `holdMs` more, and commits. `started`: it is about to ask for the lock; `locked`: it holds it;
   * `committed`: the time it committed.
   */
  function otherProcess(file: string, sql: string, holdMs: number): { started: Promise<void>; locked: Promise<void>; committed: Promise<number> } {
    const script = `
      const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
      const [file, sql, holdMs] = process.argv.slice(1);
      const db = new Database(file);
      db.pragma('busy_timeout = 20000');
      process.stdout.write('start\\n');
      db.exec('BEGIN IMMEDIATE');
      process.stdout.write('locked\\n');
      db.exec(sql);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(holdMs));
      db.exec('COMMIT');
      process.stdout.write('committed ' + Date.now() + '\\n');
      db.close();
    `;
    const child = spawn(process.execPath, ['-e', script, file, sql, String(holdMs)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const seen = (word: string): Promise<void> =>
      new Promise((resolve) => {
        const check = (): void => {
          if (out.includes(word)) resolve();
        };
        child.stdout.on('data', check);
        check();
      });
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const committed = new Promise<number>((resolve, reject) => {
      child.on('exit', (code) => {
        const m = /committed (\d+)/.exec(out);
        if (code === 0 && m) resolve(Number(m[1]));
        else reject(new Error(`other process exited ${code}: ${err}`));
      });
    });
    return { started: seen('start'), locked: seen('locked'), committed };
  }

  it('a transaction that reads, then writes after another process tried to commit, succeeds; the other commits after it', async () => {
    const file = db.url.slice('sqlite:'.length);
    let writer: ReturnType<typeof otherProcess> | undefined;
    let committedAt = 0;
    await db.dal.transaction(async (tx) => {
      expect(Number(((await tx.knex('t').count({ n: '*' })) as Array<{ n: number }>)[0]!.n)).toBe(2);
      writer = otherProcess(file, 'INSERT INTO other (id) VALUES (7)', 0);
      await writer.started;
      await new Promise((r) => setTimeout(r, 300)); // the other process's insert is under way (or done, were the lock not held)
      await tx.knex('t').where({ id: 1 }).delete();
      committedAt = Date.now();
    });
    const otherAt = await writer!.committed;
    expect(otherAt).toBeGreaterThanOrEqual(committedAt); // it waited for the write lock
    expect(await db.dal.knex('t').select('id')).toEqual([{ id: 2 }]);
    expect(await db.dal.knex('other').select('id')).toEqual([{ id: 7 }]);
  }, 30_000);

  it('a transaction that cannot take the write lock in time fails before its handler runs, and writes nothing', async () => {
    const file = db.url.slice('sqlite:'.length);
    const other = otherProcess(file, 'INSERT INTO other (id) VALUES (8)', 1500);
    await other.locked;
    await db.dal.knex.raw('PRAGMA busy_timeout = 200'); // the Dal's one connection: give up on the lock soon
    let handlerRan = false;
    const failed = await db.dal
      .transaction(async (tx) => {
        handlerRan = true;
        await tx.knex('t').where({ id: 1 }).delete();
      })
      .catch((e: unknown) => e);
    expect((failed as { code?: string }).code).toBe('SQLITE_BUSY');
    expect(handlerRan).toBe(false); // knex's own begin swallowed the error and ran it outside any transaction
    await other.committed;
    await db.dal.knex.raw('PRAGMA busy_timeout = 5000');
    expect(await db.dal.knex('t').select('id').orderBy('id')).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await db.dal.knex('other').select('id')).toEqual([{ id: 8 }]);
    // The connection went back to the pool: the next transaction runs.
    await db.dal.transaction(async (tx) => tx.knex('t').where({ id: 2 }).delete());
    expect(await db.dal.knex('t').select('id')).toEqual([{ id: 1 }]);
  }, 30_000);
});
