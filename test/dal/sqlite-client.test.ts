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

  /** Another process that inserts into `other` once asked, waiting up to 20 s for the write lock; resolves when it has committed. */
  function otherWriter(file: string): { started: Promise<void>; committed: Promise<number> } {
    const script = `
      const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
      const db = new Database(process.argv[1]);
      db.pragma('busy_timeout = 20000');
      process.stdout.write('start\\n');
      db.prepare('INSERT INTO other (id) VALUES (7)').run();
      process.stdout.write('committed ' + Date.now() + '\\n');
      db.close();
    `;
    const child = spawn(process.execPath, ['-e', script, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let onStart!: () => void;
    const started = new Promise<void>((r) => (onStart = r));
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('start')) onStart();
    });
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const committed = new Promise<number>((resolve, reject) => {
      child.on('exit', (code) => {
        const m = /committed (\d+)/.exec(out);
        if (code === 0 && m) resolve(Number(m[1]));
        else reject(new Error(`writer exited ${code}: ${err}`));
      });
    });
    return { started, committed };
  }

  it('a transaction that reads, then writes after another process tried to commit, succeeds; the other commits after it', async () => {
    const file = db.url.slice('sqlite:'.length);
    let writer: ReturnType<typeof otherWriter> | undefined;
    let committedAt = 0;
    await db.dal.transaction(async (tx) => {
      expect(Number(((await tx.knex('t').count({ n: '*' })) as Array<{ n: number }>)[0]!.n)).toBe(2);
      writer = otherWriter(file);
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
});
