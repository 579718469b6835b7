import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { hasErrorCode } from '../../src/core/errors';
import { createDal } from '../../src/dal/connect';
import { frameworkMigrations } from '../../src/dal/framework-migrations';
import { migrate } from '../../src/dal/migrator';
import { ensureRawTable } from '../../src/dal/raw-table';
import { SqliteRawWriter, sqliteRawWriterOf } from '../../src/dal/sqlite/raw-writer';
import { rawCommitJob } from '../../src/dal/sqlite/raw-commit';
import { sqliteDialect } from '../../src/dal/sqlite';
import type { Dal } from '../../src/dal/types';
import { createApiClient } from '../../src/helpers/api-client';
import { ApiCollector } from '../../src/helpers/api-collector';
import { getCollectorState } from '../../src/helpers/collector-state';
import { commitRawPages, ensureStagingTable, RAW_STAGING_TABLE, type PageWrite } from '../../src/helpers/raw-staging';
import { createSubTaskContext } from '../../src/runner/context';
import { freshDatabase, type TestDb } from '../../src/testing/databases';
import { startServer, testTaskContext } from '../helpers/api-test-server';
import { openStagingDb } from '../helpers/staging-fixture';

/**
 * The SQLite raw writer thread (src/dal/sqlite/raw-writer.ts): on a database
 * file the collector's group commits run on a worker thread's own connection.
 */

const RAW = '_raw_writer_items';
const PARAMS = '{"ConnectionId":1}';
const CREATED = new Date('2026-12-03T10:00:00.000Z');

const pageOf = (unit: number, records: unknown[], url: string): PageWrite => ({
  unit,
  url,
  page: { params: PARAMS, data: `[${records.map((r) => JSON.stringify(r)).join(',')}]`, url, input: unit === 1 ? '{"n":1}' : null, createdAt: CREATED },
});

/** Records whose text a careless path would change, and scalars. */
const pages = (): PageWrite[] =>
  Array.from({ length: 12 }, (_, p) =>
    pageOf(p % 3, p === 4 ? [] : p === 7 ? ['a scalar', 12, true, null] : [{ p, s: 'x\u0001y\u2028"é😀', big: 12345678901234567890n.toString() }, [p, {}]], `u/${p}`),
  );

async function tableRows(dal: Dal): Promise<unknown[]> {
  const raw = await dal.knex(RAW).select('id', 'params', 'data', 'url', 'input', 'created_at').orderBy('id');
  const ledger = await dal.knex(RAW_STAGING_TABLE).select('raw_table', 'params', 'unit', 'records', 'data', 'url', 'input', 'created_at', 'raw_from_id', 'raw_to_id').orderBy('id');
  return [raw, ledger, (await getCollectorState(dal, RAW, PARAMS))?.checkpoint];
}

/** Takes SQLite's write lock on `file` from a thread of its own and holds it `ms`; resolves once it is taken, with the thread's end. */
function holdWriteLock(file: string, ms: number): Promise<{ released: Promise<unknown> }> {
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const db = new (require(workerData.driver))(workerData.file);
    db.exec('BEGIN IMMEDIATE');
    parentPort.postMessage('locked');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.ms);
    db.exec('ROLLBACK');
    db.close();`;
  const thread = new Worker(source, { eval: true, workerData: { file, ms, driver: require.resolve('better-sqlite3') } });
  const released = new Promise((resolve) => thread.once('exit', resolve));
  return new Promise((resolve, reject) => {
    thread.once('message', () => resolve({ released }));
    thread.once('error', reject);
  });
}

describe('SQLite raw writer thread', () => {
  let db: TestDb;
  beforeEach(async () => {
    db = await openStagingDb(() => freshDatabase('sqlite::memory:'), RAW); // a file in a temp directory
  });
  afterEach(async () => db.drop());

  it('commits on a database file through the thread, rows identical to the same commits on the connection (in memory)', async () => {
    expect(await sqliteRawWriterOf(db.dal.knex)).toBeInstanceOf(SqliteRawWriter);
    const memory = await createDal('sqlite::memory:');
    try {
      expect(await sqliteRawWriterOf(memory.knex)).toBeUndefined();
      await migrate(memory, [{ owner: 'framework', scripts: frameworkMigrations }]);
      await ensureRawTable(memory, RAW);
      await ensureStagingTable(memory);
      for (const dal of [db.dal, memory]) {
        const all = pages();
        // Two commits at once, as two collectors of one process would: they go in order.
        await Promise.all([commitRawPages(dal, RAW, PARAMS, all.slice(0, 5), { done: [1] }), commitRawPages(dal, RAW, PARAMS, all.slice(5), { done: [1, 2] })]);
      }
      const [onThread, onConnection] = [await tableRows(db.dal), await tableRows(memory)];
      expect(onThread).toEqual(onConnection);
      expect((onThread[0] as unknown[]).length).toBe(2 * 10 + 4);
      expect(onThread[2]).toEqual({ done: [1, 2] });
    } finally {
      await memory.close();
    }
  });

  it('rolls back the whole commit when the database refuses a page, and goes on with the next', async () => {
    await commitRawPages(db.dal, RAW, PARAMS, [pageOf(0, [{ a: 1 }], 'u/0')], { done: [0] });
    const bad: PageWrite = { unit: 1, url: 'u/2', page: { params: PARAMS, data: '[{"a":3', url: 'u/2', input: null, createdAt: CREATED } };
    await expect(commitRawPages(db.dal, RAW, PARAMS, [pageOf(0, [{ a: 2 }], 'u/1'), bad], { done: [0, 1] })).rejects.toThrow(/malformed JSON/);
    expect(await db.dal.knex(RAW).pluck('data')).toEqual(['{"a":1}']);
    expect(await db.dal.knex(RAW_STAGING_TABLE).pluck('url')).toEqual(['u/0']);
    expect((await getCollectorState(db.dal, RAW, PARAMS))?.checkpoint).toEqual({ done: [0] });
    await commitRawPages(db.dal, RAW, PARAMS, [pageOf(0, [{ a: 4 }], 'u/3')], { done: [0, 3] });
    expect(await db.dal.knex(RAW).orderBy('id').pluck('data')).toEqual(['{"a":1}', '{"a":4}']);
  });

  it.each(['thread', 'connection'])(
    'on the %s: once a commit of a collection fails, its later ones (sent behind it) fail unwritten; other collections and the next run go on',
    async (where) => {
      const memory = where === 'connection' ? await createDal('sqlite::memory:') : undefined;
      const dal = memory ?? db.dal;
      try {
        if (memory) {
          await migrate(memory, [{ owner: 'framework', scripts: frameworkMigrations }]);
          await ensureRawTable(memory, RAW);
          await ensureStagingTable(memory);
        }
        const OTHER = '{"ConnectionId":2}';
        const bad: PageWrite = { unit: 0, url: 'u/2', page: { params: PARAMS, data: '[{"a":2', url: 'u/2', input: null, createdAt: CREATED } };
        const other: PageWrite = { unit: 0, url: 'o/1', page: { ...pageOf(0, [{ o: 1 }], 'o/1').page, params: OTHER } };
        const [run1, run2, run3] = [randomUUID(), randomUUID(), randomUUID()];
        // Sent together, as the collector sends its next commit while one is written.
        const outcomes = await Promise.allSettled([
          commitRawPages(dal, RAW, PARAMS, [pageOf(0, [{ a: 1 }], 'u/1')], { done: [1] }, run1),
          commitRawPages(dal, RAW, PARAMS, [bad], { done: [1, 2] }, run1),
          commitRawPages(dal, RAW, PARAMS, [pageOf(0, [{ a: 3 }], 'u/3')], { done: [1, 2, 3] }, run1),
          commitRawPages(dal, RAW, OTHER, [other], { done: [1] }, run2),
        ]);
        expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
        expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/malformed JSON/);
        expect(String((outcomes[2] as PromiseRejectedResult).reason)).toMatch(/an earlier commit of this collection failed/);
        expect(await dal.knex(RAW).orderBy('id').pluck('data')).toEqual(['{"a":1}', '{"o":1}']);
        expect((await getCollectorState(dal, RAW, PARAMS))?.checkpoint).toEqual({ done: [1] });
        // The resume is a run of its own.
        await commitRawPages(dal, RAW, PARAMS, [pageOf(0, [{ a: 2 }], 'u/2')], { done: [1, 2] }, run3);
        expect(await dal.knex(RAW).orderBy('id').pluck('data')).toEqual(['{"a":1}', '{"o":1}', '{"a":2}']);
        expect((await getCollectorState(dal, RAW, PARAMS))?.checkpoint).toEqual({ done: [1, 2] });
      } finally {
        await memory?.close();
      }
    },
  );

  it("lets another query of the Dal in between a collection's commits, which hold its connection while any is outstanding", async () => {
    await db.dal.knex.schema.createTable('side', (t) => t.integer('n'));
    const order: string[] = [];
    let side: Promise<unknown> | undefined;
    const sent: Array<Promise<void>> = [];
    const chain = randomUUID();
    for (let i = 0; i < 40; i++) {
      sent.push(
        commitRawPages(db.dal, RAW, PARAMS, [pageOf(0, [{ i }], `u/${i}`)], { done: [i] }, chain).then(() => {
          order.push(`c${i}`);
          if (i === 0) side = db.dal.knex('side').insert({ n: 1 }).then(() => order.push('side'));
        }),
      );
      // Two outstanding, as the collector keeps them.
      if (sent.length >= 2) await sent.shift();
    }
    await Promise.all(sent);
    await side;
    expect(order.indexOf('side')).toBeGreaterThan(0);
    expect(order.indexOf('side')).toBeLessThan(10);
    expect(await db.dal.knex(RAW).count({ n: '*' }).then((r) => Number(r[0]!.n))).toBe(40);
  });

  it('is not starved by other queries of the Dal that keep its connection wanted: each hold writes a commit', async () => {
    let stop = false;
    // Two streams, so another query is always waiting when the collection's queue gets the connection.
    const stream = async (): Promise<number> => {
      let n = 0;
      while (!stop) {
        await db.dal.knex.raw('select 1');
        n++;
      }
      return n;
    };
    const streams = [stream(), stream()];
    // Should the commits starve, the test times out; the streams end anyway, so the file does not hang.
    const guard = setTimeout(() => (stop = true), 10_000);
    const chain = randomUUID();
    const sent: Array<Promise<void>> = [];
    for (let i = 0; i < 20; i++) {
      sent.push(commitRawPages(db.dal, RAW, PARAMS, [pageOf(0, [{ i }], `u/${i}`)], { done: [i] }, chain));
      if (sent.length >= 2) await sent.shift();
    }
    await Promise.all(sent);
    stop = true;
    clearTimeout(guard);
    expect(Math.min(...(await Promise.all(streams)))).toBeGreaterThan(0);
    expect(await db.dal.knex(RAW).count({ n: '*' }).then((r) => Number(r[0]!.n))).toBe(20);
  });

  it('refuses the later commits of a collection whose commit failed on a thread that then stopped, also on the next thread', async () => {
    const writer = (await sqliteRawWriterOf(db.dal.knex))!;
    const chain = randomUUID();
    const bad: PageWrite = { unit: 0, url: 'u/2', page: { params: PARAMS, data: '[{"a":2', url: 'u/2', input: null, createdAt: CREATED } };
    await expect(commitRawPages(db.dal, RAW, PARAMS, [bad], { done: [2] }, chain)).rejects.toThrow(/malformed JSON/);
    await writer.close();
    // A new thread (its own empty set of failed collections) writes other collections, not this one.
    await expect(commitRawPages(db.dal, RAW, PARAMS, [pageOf(0, [{ a: 3 }], 'u/3')], { done: [2, 3] }, chain)).rejects.toThrow(/an earlier commit of this collection failed/);
    await commitRawPages(db.dal, RAW, PARAMS, [pageOf(0, [{ a: 4 }], 'u/4')], { done: [4] }, randomUUID());
    expect(await sqliteRawWriterOf(db.dal.knex)).not.toBe(writer);
    expect(await db.dal.knex(RAW).pluck('data')).toEqual(['{"a":4}']);
  });

  it('commits while a transaction of the same Dal holds the write lock for a while: they take turns, none fails', async () => {
    await db.dal.knex.schema.createTable('side', (t) => t.integer('n'));
    const long = db.dal.transaction(async (tx) => {
      await tx.insert('side', [{ n: 1 }]);
      await new Promise((r) => setTimeout(r, 300));
      await tx.insert('side', [{ n: 2 }]);
    });
    const all = pages();
    await Promise.all([long, ...all.map((p, i) => commitRawPages(db.dal, RAW, PARAMS, [p], { done: [i] }))]);
    expect(await db.dal.knex('side').pluck('n')).toEqual([1, 2]);
    expect(await db.dal.knex(RAW).count({ n: '*' }).then((r) => Number(r[0]!.n))).toBe(24);
  });

  it('waits for the lock held by another connection without blocking the event loop, then commits', async () => {
    const other = new Database(db.url.slice('sqlite:'.length));
    try {
      other.exec('BEGIN IMMEDIATE');
      let ticks = 0;
      const timer = setInterval(() => ticks++, 10);
      const commit = commitRawPages(db.dal, RAW, PARAMS, [pageOf(0, [{ a: 1 }], 'u/0')], { done: [0] });
      await new Promise((r) => setTimeout(r, 400));
      other.exec('COMMIT');
      await commit;
      clearInterval(timer);
      expect(ticks).toBeGreaterThan(10);
      expect(await db.dal.knex(RAW).pluck('data')).toEqual(['{"a":1}']);
    } finally {
      other.close();
    }
  });

  it("fails a commit with SQLITE_BUSY once its busy timeout passes, as the collector's save failure", async () => {
    // Made before the collector's first commit, with a short timeout: the collector uses this one.
    await sqliteRawWriterOf(db.dal.knex, 200);
    let lock: Promise<{ released: Promise<unknown> }> | undefined;
    // The lock is taken while the page is fetched (before its commit) by another thread, and held 1 s.
    const server = await startServer(async () => {
      lock ??= holdWriteLock(db.url.slice('sqlite:'.length), 1000);
      await lock;
      return { body: [{ id: 1 }, { id: 2 }] };
    });
    try {
      const task = testTaskContext({ pluginName: 'tracker', db: db.dal });
      const { ctx } = createSubTaskContext(task, 'Collect Issues', {});
      const apiClient = createApiClient(task, { endpoint: server.url });
      try {
        const collector = new ApiCollector({ ctx, apiClient, rawTable: RAW, params: JSON.parse(PARAMS) as unknown, urlTemplate: 'x', pagination: 'none' });
        const failure = await collector.execute().then(
          () => undefined,
          (err: unknown) => err,
        );
        expect(hasErrorCode(failure, 'DEVLAKE_E_DB_QUERY')).toBe(true);
        expect((failure as Error).message).toMatch(/Saving the page .* failed: database is locked/);
        expect(((failure as Error).cause as { code?: string }).code).toBe('SQLITE_BUSY');
        // Once the lock is released, the next run collects it all.
        await (await lock!).released;
        const result = await new ApiCollector({ ctx, apiClient, rawTable: RAW, params: JSON.parse(PARAMS) as unknown, urlTemplate: 'x', pagination: 'none' }).execute();
        expect(result.rowsInTable).toBe(2);
      } finally {
        await apiClient.close();
      }
    } finally {
      await server.close();
    }
  });

  it('ends with the Dal: a closed writer takes no commits, and the next commit starts a new thread', async () => {
    const first = await sqliteRawWriterOf(db.dal.knex);
    await first!.close();
    expect(first!.stopped).toBe(true);
    await expect(first!.commit(rawCommitJob({ rawTable: RAW, stagingTable: RAW_STAGING_TABLE, stateTable: 'x', params: PARAMS, pages: [], checkpoint: '{}', relaxed: true }, sqliteDialect.toDriver))).rejects.toThrow(/stopped/);
    await commitRawPages(db.dal, RAW, PARAMS, [pageOf(0, [{ a: 1 }], 'u/0')], { done: [0] });
    const second = await sqliteRawWriterOf(db.dal.knex);
    expect(second).not.toBe(first);
    await db.dal.close();
    expect(second!.stopped).toBe(true);
    db = await openStagingDb(() => freshDatabase('sqlite::memory:'), RAW); // for afterEach
  });

  it('starts no new thread for a commit that races the Dal being closed', async () => {
    await commitRawPages(db.dal, RAW, PARAMS, [pageOf(0, [{ a: 1 }], 'u/0')], { done: [0] });
    const first = await sqliteRawWriterOf(db.dal.knex);
    expect(first).toBeDefined();
    const closing = db.dal.close();
    const late = commitRawPages(db.dal, RAW, PARAMS, [pageOf(1, [{ a: 2 }], 'u/1')], { done: [0, 1] }).then(
      () => 'committed',
      () => 'failed',
    );
    await closing;
    await late; // on the connection before the pool closed, or failed with it: either way no thread of its own
    expect(first!.stopped).toBe(true);
    expect(await sqliteRawWriterOf(db.dal.knex)).toBeUndefined();
    db = await openStagingDb(() => freshDatabase('sqlite::memory:'), RAW); // for afterEach
  });

  it.each(['close', 'leave'])('lets a process that committed through the thread exit on its own (Dal: %s)', async (mode) => {
    const file = path.join(path.dirname(db.url.slice('sqlite:'.length)), `child-${mode}.db`);
    const child = spawn(process.execPath, [path.join(__dirname, 'fixtures', 'raw-writer-child.js'), file, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const started = Date.now();
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.on('close', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect([code, out.trim()]).toEqual([0, mode === 'close' ? 'rows 5' : 'rows 6']);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
