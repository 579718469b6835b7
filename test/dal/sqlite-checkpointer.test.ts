import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { createDal } from '../../src/dal/connect';
import { SqliteCheckpointer, sqliteCheckpointerOf, WAL_AUTOCHECKPOINT_WITH_CHECKPOINTER } from '../../src/dal/sqlite/checkpointer';
import type { CheckpointerStats } from '../../src/dal/sqlite/checkpointer-thread';
import type { Dal } from '../../src/dal/types';

/**
 * The SQLite checkpointer thread (src/dal/sqlite/checkpointer.ts): on a
 * database file the WAL is copied into the file by a thread of its own, not
 * by the connection that commits.
 */

const PAD = 'x'.repeat(1000);

/** Waits until `check` holds, at most `ms`; fails naming `what` otherwise. */
async function until(what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('SQLite checkpointer', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-ckpt-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const pragma = async (dal: Dal, name: string): Promise<unknown> => {
    const rows = (await dal.knex.raw(`PRAGMA ${name}`)) as Array<Record<string, unknown>>;
    return Object.values(rows[0]!)[0];
  };

  it("a Dal on a file has one, and its commits leave the WAL's copy to it", async () => {
    const file = path.join(dir, 'db.sqlite');
    const dal = await createDal(`sqlite:${file}`);
    try {
      const checkpointer = sqliteCheckpointerOf(dal.knex.client as object);
      expect(checkpointer).toBeDefined();
      expect(await checkpointer!.ready()).toBe(true);
      expect(await pragma(dal, 'wal_autocheckpoint')).toBe(WAL_AUTOCHECKPOINT_WITH_CHECKPOINTER);
      await dal.knex.schema.createTable('t', (t) => {
        t.integer('id').primary();
        t.text('pad');
      });
      // ~8 MB in one transaction: past SQLite's own 1,000-page threshold, below ours.
      await dal.transaction(async (tx) => {
        for (let i = 0; i < 8000; i += 500) await tx.insert('t', Array.from({ length: 500 }, (_, k) => ({ id: i + k, pad: PAD })));
      });
      await until('the thread has copied the WAL into the file', () => fs.statSync(file).size > 8_000_000);
      const stats = (await checkpointer!.stats())!;
      expect(stats.checkpoints).toBeGreaterThan(0);
      expect(stats.error).toBeUndefined();
      expect(Number((await dal.knex('t').count({ n: '*' }))[0]!.n)).toBe(8000);
    } finally {
      await dal.close();
    }
    // The Dal's close ended the thread.
    expect(sqliteCheckpointerOf(dal.knex.client as object)).toBeUndefined();
  });

  it('a database in memory has none and keeps SQLite\'s threshold', async () => {
    const dal = await createDal('sqlite::memory:');
    try {
      expect(sqliteCheckpointerOf(dal.knex.client as object)).toBeUndefined();
      expect(await pragma(dal, 'wal_autocheckpoint')).toBe(1000);
    } finally {
      await dal.close();
    }
  });

  /** Commits ~100 KB at a time, 300 times, yielding between commits; returns the thread's figures. */
  async function writeWithoutPause(restartFrames: number): Promise<CheckpointerStats> {
    const file = path.join(dir, `busy-${restartFrames}.sqlite`);
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_WITH_CHECKPOINTER}`);
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, pad TEXT)');
    const checkpointer = new SqliteCheckpointer(file, { activeMs: 5, restartFrames });
    try {
      expect(await checkpointer.ready()).toBe(true);
      const insert = db.prepare('INSERT INTO t (pad) VALUES (?)');
      const commit = db.transaction(() => {
        for (let k = 0; k < 100; k++) insert.run(PAD);
      });
      for (let i = 0; i < 300; i++) {
        commit();
        await new Promise((r) => setTimeout(r, 1));
      }
      return (await checkpointer.stats())!;
    } finally {
      await checkpointer.close();
      db.close();
    }
  }

  it('restarts the WAL under a writer that never pauses, so the WAL stays short', async () => {
    const stats = await writeWithoutPause(256);
    expect(stats.error).toBeUndefined();
    expect(stats.restarts).toBeGreaterThan(0);
    // 300 commits of ~27 pages each: ~8,000 frames had the WAL only grown.
    expect(stats.maxFrames).toBeLessThan(2000);
  }, 30_000);

  it('ends with close, and a closed one answers no more', async () => {
    const file = path.join(dir, 'c.sqlite');
    new Database(file).close();
    const checkpointer = new SqliteCheckpointer(file);
    expect(await checkpointer.ready()).toBe(true);
    await checkpointer.close();
    expect(checkpointer.stopped).toBe(true);
    expect(await checkpointer.stats()).toBeUndefined();
  });

  it('stops a thread still starting at once, and ends a closing one with a figures request pending', async () => {
    const file = path.join(dir, 'd.sqlite');
    new Database(file).close();
    const starting = new SqliteCheckpointer(file);
    await starting.close();
    expect(starting.stopped).toBe(true);
    expect(await starting.ready()).toBe(false);

    const open = new SqliteCheckpointer(file);
    expect(await open.ready()).toBe(true);
    const asked = open.stats();
    await open.close();
    expect(open.stopped).toBe(true);
    await asked; // answered, or undefined once stopped: never left pending
  });

  // In a process of its own: under jest the process stays alive anyway, which hid a close that let the thread go.
  it('lets a process close one with a request pending, close its Dal and exit on its own', async () => {
    const child = spawn(process.execPath, [path.join(__dirname, 'fixtures', 'checkpointer-child.js'), path.join(dir, 'child.sqlite')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(out).toBe('closed checkpointer\nclosed dal\n');
    expect(code).toBe(0);
  }, 30_000);

  it('reports a file it cannot open as not ready', async () => {
    const checkpointer = new SqliteCheckpointer(path.join(dir, 'missing', 'none.sqlite'));
    expect(await checkpointer.ready()).toBe(false);
    await checkpointer.close();
  });
});
