import type { Knex } from 'knex';
import { createDal } from '../../src/dal/connect';
import { ensureRawTable } from '../../src/dal/raw-table';
import { SqliteCommittedReader, sqliteCommittedReaderOf } from '../../src/dal/sqlite/committed-reader';
import type { Dal } from '../../src/dal/types';
import { defineModel } from '../../src/core/model';
import { ApiExtractor } from '../../src/helpers/api-extractor';
import { freshDatabase, type TestDb } from '../../src/testing/databases';
import { testTaskContext } from '../helpers/api-test-server';
import { createSubTaskContext } from '../../src/runner/context';

/**
 * The SQLite committed-rows reader thread (src/dal/sqlite/committed-reader.ts):
 * on a database file an extraction reads its raw rows on a thread of its own.
 */

const RAW = '_raw_reader_items';
const PARAMS = '{"ConnectionId":1}';

async function fill(dal: Dal, n: number, params = PARAMS, input = (i: number): unknown => (i % 7 === 0 ? Buffer.from([0, 1, 2, i % 256]) : null)): Promise<void> {
  await ensureRawTable(dal, RAW);
  const rows = Array.from({ length: n }, (_, i) => ({
    params,
    data: JSON.stringify({ id: i + 1, s: i % 5 === 0 ? 'x\u0001y\u2028"é😀' : `r${i}` }),
    url: i % 3 === 0 ? null : `u/${i}`,
    input: input(i),
    created_at: '2026-12-03T10:00:00.000Z',
  }));
  await dal.insert(RAW, rows);
}

const query = (params = PARAMS) => (db: Knex) => db(RAW).select('*').where('params', params);

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const page of pages) out.push(page);
  return out;
}

/** The same pages read on the Dal's own connection. */
async function connectionPages(dal: Dal, pageSize: number, params = PARAMS): Promise<unknown[][]> {
  return collect(dal.streamPages(query(params), { key: ['id'], pageSize }));
}

describe('SQLite committed-rows reader thread', () => {
  let db: TestDb;
  beforeEach(async () => {
    db = await freshDatabase('sqlite::memory:'); // a file in a temp directory
  });
  afterEach(async () => {
    await db.drop();
  });

  it('yields the pages the connection yields: same rows, same keys in the same order, BLOBs as Buffers', async () => {
    await fill(db.dal, 1234);
    await fill(db.dal, 10, '{"ConnectionId":2}');
    const reader = await sqliteCommittedReaderOf(db.dal.knex);
    expect(reader).toBeInstanceOf(SqliteCommittedReader);
    for (const pageSize of [100, 617, 1234, 5000]) {
      const pages = await collect(reader!.pages<Record<string, unknown>>(db.dal.knex, query(), 'id', pageSize)!);
      expect(pages).toEqual(await connectionPages(db.dal, pageSize));
      expect(pages.map((p) => Object.keys(p[0]!))).toEqual(pages.map(() => ['id', 'params', 'data', 'url', 'input', 'created_at']));
      expect(Buffer.isBuffer(pages[0]![0]!.input)).toBe(true);
    }
    expect(await collect(reader!.pages(db.dal.knex, query('{"none":1}'), 'id', 100)!)).toEqual([]);
    // One reader per knex: the thread is kept for the next extraction.
    expect(await sqliteCommittedReaderOf(db.dal.knex)).toBe(reader);
  });

  it('reads the committed rows while the Dal writes and commits on its own connection, neither waiting on the other', async () => {
    await fill(db.dal, 3000);
    const reader = (await sqliteCommittedReaderOf(db.dal.knex))!;
    const seen = await db.dal.transaction(async (tx) => {
      await tx.knex(RAW).where('id', '>', 2000).delete(); // not committed: the thread still sees those rows
      const rows: unknown[] = [];
      for await (const page of reader.pages<{ id: number }>(db.dal.knex, query(), 'id', 250)!) {
        rows.push(...page.map((r) => r.id));
        await tx.insert(RAW, [{ params: '{"other":1}', data: '{}', url: null, input: null, created_at: '2026-12-03T10:00:00.000Z' }]);
      }
      return rows;
    });
    expect(seen).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
    // The writer committed while the thread read; the next scan sees the new state.
    const after = await collect(reader.pages<{ id: number }>(db.dal.knex, query(), 'id', 1000)!);
    expect(after.flat().length).toBe(2000);
  });

  it('lets a scan stop early (an error, a cancel) and serves the next one', async () => {
    await fill(db.dal, 2000);
    const reader = (await sqliteCommittedReaderOf(db.dal.knex))!;
    for (let i = 0; i < 3; i++) {
      for await (const page of reader.pages<{ id: number }>(db.dal.knex, query(), 'id', 100)!) {
        expect(page[0]!.id).toBe(1);
        break;
      }
    }
    expect((await collect(reader.pages(db.dal.knex, query(), 'id', 300)!)).flat().length).toBe(2000);
    // Its read transaction is let go: a checkpoint can empty the WAL. Tried again while busy for a moment only: the
    // Dal's checkpointer thread may hold the checkpoint lock (a held read would keep it busy on every try).
    let busy = 1;
    for (let attempt = 0; attempt < 20 && busy !== 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 25));
      busy = ((await db.dal.knex.raw('PRAGMA wal_checkpoint(TRUNCATE)')) as Array<{ busy: number }>)[0]!.busy;
    }
    expect(busy).toBe(0);
  });

  it("fails a scan with the driver's message and goes on with the next", async () => {
    await fill(db.dal, 10);
    const reader = (await sqliteCommittedReaderOf(db.dal.knex))!;
    await expect(collect(reader.pages(db.dal.knex, (k) => k(RAW).select('nope'), 'id', 100)!)).rejects.toThrow(/no such column: nope/);
    await expect(collect(reader.pages(db.dal.knex, (k) => k('_missing_table').select('*'), 'id', 100)!)).rejects.toThrow(/no such table/);
    // Without the key in the rows there is no next page: the first comes, and the caller reports the missing key.
    expect((await collect(reader.pages<Record<string, unknown>>(db.dal.knex, (k) => k(RAW).select('data'), 'id', 5)!)).map((p) => p.length)).toEqual([5]);
    expect((await collect(reader.pages(db.dal.knex, query(), 'id', 3)!)).flat().length).toBe(10);
  });

  it('has none in memory, and ends with the Dal: the next Dal on the file starts its own', async () => {
    const memory = await createDal('sqlite::memory:');
    try {
      expect(await sqliteCommittedReaderOf(memory.knex)).toBeUndefined();
    } finally {
      await memory.close();
    }
    await fill(db.dal, 5);
    const url = db.url;
    const first = (await sqliteCommittedReaderOf(db.dal.knex))!;
    await db.dal.close();
    expect(first.stopped).toBe(true);
    // A read racing the close starts no thread that would outlive the knex.
    expect(await sqliteCommittedReaderOf(db.dal.knex)).toBeUndefined();
    const again = await createDal(url);
    try {
      const second = (await sqliteCommittedReaderOf(again.knex))!;
      expect(second).not.toBe(first);
      expect((await collect(second.pages(again.knex, query(), 'id', 2)!)).flat().length).toBe(5);
    } finally {
      await again.close();
    }
    db = await freshDatabase('sqlite::memory:'); // for afterEach
  });

  it('fails the scans in flight when the thread stops', async () => {
    await fill(db.dal, 1000);
    const reader = (await sqliteCommittedReaderOf(db.dal.knex))!;
    const pages = reader.pages(db.dal.knex, query(), 'id', 10)![Symbol.asyncIterator]();
    await pages.next();
    const closing = reader.close();
    await expect((async () => {
      for (let r = await pages.next(); !r.done; r = await pages.next());
    })()).rejects.toThrow(/stopped/);
    await closing;
    await expect(collect(reader.pages(db.dal.knex, query(), 'id', 10)!)).rejects.toThrow(/stopped/);
  });

  it('feeds ApiExtractor: every row once, with its input, and a failure naming the raw row', async () => {
    const scans = jest.spyOn(SqliteCommittedReader.prototype, 'pages');
    await fill(db.dal, 1500, PARAMS, (i) => (i % 2 ? Buffer.from(`{"n":${i}}`) : null));
    const Item = defineModel<{ id: number; s: string }>({ table: '_tool_reader_items', primaryKey: ['id'] });
    await db.dal.knex.schema.createTable(Item.table, (t) => {
      t.integer('id').primary();
      t.string('s');
      t.string('_raw_data_params');
      t.string('_raw_data_table');
      t.bigInteger('_raw_data_id');
      t.string('_raw_data_remark');
    });
    const task = testTaskContext({ db: db.dal });
    const extract = (fail?: number) =>
      new ApiExtractor<{ id: number; s: string }>({
        ctx: createSubTaskContext(task, 'Extract', undefined).ctx,
        rawTable: RAW,
        params: PARAMS,
        outputs: [Item],
        batchSize: 100,
        extract: (r, raw) => {
          if (r.id === fail) throw new Error('bad record');
          expect(raw.params).toBe(PARAMS);
          expect(raw.inputJson).toEqual((r.id - 1) % 2 ? { n: r.id - 1 } : null);
          return [Item.row({ id: r.id, s: r.s })];
        },
      }).execute();
    expect((await extract()).get(Item.table)).toBe(1500);
    await expect(extract(1234)).rejects.toThrow(/failed on raw row 1234 of _raw_reader_items: bad record/);
    const rows = await db.dal.knex(Item.table).select('id', '_raw_data_id').orderBy('id');
    expect(rows.length).toBe(1500);
    expect(rows.every((r: { id: number; _raw_data_id: number }) => r.id === r._raw_data_id)).toBe(true);
    expect(scans).toHaveBeenCalledTimes(2);
    scans.mockRestore();
  });
});
