import { hasErrorCode } from '../../src/core/errors';
import { defineModel } from '../../src/core/model';
import { addNoPkModelColumns } from '../../src/dal/columns';
import { ensureRawTable } from '../../src/dal/raw-table';
import { ApiExtractor } from '../../src/helpers/api-extractor';
import { databases, type TestDb } from '../../src/testing/databases';
import { subTaskContext } from './subtask-fixture';

interface ItemRow {
  connection_id: number;
  item_id: number;
  title: string | null;
  done?: boolean | null;
}
const Item = defineModel<ItemRow>({ table: '_tool_demo_items', primaryKey: ['connection_id', 'item_id'] });
const Tag = defineModel<{ item_id: number; tag: string }>({ table: '_tool_demo_tags', primaryKey: ['item_id', 'tag'] });

const RAW = '_raw_demo_api_items';
const PARAMS = { ConnectionId: 1, Name: 'org/repo' };
const PARAMS_JSON = '{"ConnectionId":1,"Name":"org/repo"}';

type Rec = { id: number; title: string; tags?: string[]; fail?: boolean };

describe.each(databases())('ApiExtractor on $name', ({ open }) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await open();
    await ensureRawTable(db.dal, RAW);
    await db.dal.knex.schema.createTable(Item.table, (t) => {
      t.bigInteger('connection_id').notNullable();
      t.bigInteger('item_id').notNullable();
      t.text('title');
      t.boolean('done');
      addNoPkModelColumns(t, db.dal.knex);
      t.primary(['connection_id', 'item_id']);
    });
    await db.dal.knex.schema.createTable(Tag.table, (t) => {
      t.bigInteger('item_id').notNullable();
      t.string('tag', 100).notNullable();
      addNoPkModelColumns(t, db.dal.knex);
      t.primary(['item_id', 'tag']);
    });
  });
  afterEach(async () => db.drop());

  const insertRaw = (records: Rec[], params = PARAMS_JSON) =>
    db.dal.insert(RAW, records.map((r) => ({ params, data: JSON.stringify(r), url: `https://x/${r.id}`, input: '{"n":1}' })));

  const extractor = (signal?: AbortSignal, batchSize = 2) => {
    const { ctx, progress } = subTaskContext(db.dal, signal);
    const seenInputs: unknown[] = [];
    const ex = new ApiExtractor<Rec>({
      ctx,
      rawTable: RAW,
      params: PARAMS,
      outputs: [Item, Tag],
      batchSize,
      extract(rec, raw) {
        seenInputs.push(raw.inputJson);
        if (rec.fail) throw new Error(`bad record ${rec.id}`);
        return [
          Item.row({ connection_id: 1, item_id: rec.id, title: rec.title, done: rec.id % 2 === 0 }),
          ...(rec.tags ?? []).map((tag) => Tag.row({ item_id: rec.id, tag })),
        ];
      },
    });
    return { ex, progress, seenInputs };
  };

  const items = async () =>
    (await db.dal.knex(Item.table).orderBy('item_id')).map((r) => ({
      id: Number(r.item_id),
      title: r.title,
      params: r._raw_data_params,
      table: r._raw_data_table,
      rawId: Number(r._raw_data_id),
      remark: r._raw_data_remark,
    }));

  it('extracts the rows of its params only, with provenance, and a re-run gives identical tables', async () => {
    await insertRaw([
      { id: 10, title: 'a', tags: ['x', 'y'] },
      { id: 11, title: 'b' },
      { id: 12, title: 'c', tags: ['z'] },
    ]);
    await insertRaw([{ id: 99, title: 'decoy' }], '{"ConnectionId":2,"Name":"org/repo"}');
    const { ex, progress, seenInputs } = extractor();
    const written = await ex.execute();
    expect(written.get(Item.table)).toBe(3);
    expect(progress.rowsWritten.get(Tag.table)).toBe(3);
    expect(progress.current).toBe(3);
    expect(progress.total).toBe(3);
    expect(seenInputs[0]).toEqual({ n: 1 });
    const first = await items();
    expect(first.map((r) => r.id)).toEqual([10, 11, 12]);
    expect(first[0]).toEqual({ id: 10, title: 'a', params: PARAMS_JSON, table: RAW, rawId: 1, remark: '' });
    const tags = () => db.dal.knex(Tag.table).select('item_id', 'tag', '_raw_data_id').orderBy(['item_id', 'tag']);
    const tagsBefore = await tags();
    expect(tagsBefore).toHaveLength(3);

    await extractor().ex.execute();
    expect(await items()).toEqual(first);
    expect(await tags()).toEqual(tagsBefore);
  });

  it('extracts many pages with writes kept in flight: every row once, never a query queued in the driver', async () => {
    // 1000 records, pages and batches of 100, two tables: on Postgres a page is read ahead while a batch
    // write is in flight on the same connection. Those must reach pg one at a time: a query sent while
    // another waits in pg's queue is what pg 8 deprecates (and pg 9 refuses).
    await insertRaw(Array.from({ length: 1000 }, (_, i) => ({ id: i + 1, title: `t${i + 1}`, tags: [`a${i % 3}`] })));
    const { Client } = require('pg') as { Client: { prototype: { query: (...a: unknown[]) => unknown } } };
    const original = Client.prototype.query;
    let queries = 0;
    let queuedBehind = 0;
    const spy = jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: { _queryQueue?: unknown[] }, ...args: unknown[]) {
      queries++;
      if (!Array.isArray(this._queryQueue)) throw new Error('pg Client has no _queryQueue: update this test');
      if (this._queryQueue.length > 0) queuedBehind++;
      return original.apply(this, args);
    });
    try {
      const written = await extractor(undefined, 100).ex.execute();
      expect(Object.fromEntries(written)).toEqual({ [Item.table]: 1000, [Tag.table]: 1000 });
    } finally {
      spy.mockRestore();
    }
    if (db.dialect === 'postgres') expect({ queries: queries > 20, queuedBehind }).toEqual({ queries: true, queuedBehind: 0 });
    const [{ n }] = await db.dal.knex(Item.table).count({ n: '*' });
    expect(Number(n)).toBe(1000);
  });

  it('removes rows a new extraction no longer produces, even when a table gets zero rows', async () => {
    await insertRaw([{ id: 1, title: 'a', tags: ['x'] }, { id: 2, title: 'b' }]);
    await extractor().ex.execute();
    // Rows of other params must survive.
    await db.dal.insert(Item.table, [{ connection_id: 2, item_id: 7, title: 'other', _raw_data_table: RAW, _raw_data_params: '{"ConnectionId":2}' }]);
    await db.dal.knex(RAW).where({ id: 1 }).delete();
    await extractor().ex.execute();
    expect((await items()).map((r) => r.id)).toEqual([2, 7]);
    expect(await db.dal.knex(Tag.table)).toHaveLength(0);
  });

  it('keeps the last row when a run produces one primary key twice, within and across batches', async () => {
    await insertRaw([
      { id: 5, title: 'first' },
      { id: 5, title: 'second' },
      { id: 6, title: 'x' },
      { id: 7, title: 'y' },
      { id: 5, title: 'last' },
    ]);
    await extractor(undefined, 2).ex.execute();
    const rows = await items();
    expect(rows.map((r) => [r.id, r.title])).toEqual([[5, 'last'], [6, 'x'], [7, 'y']]);
    expect(rows[0].rawId).toBe(5);
  });

  it('leaves the previous rows when extract throws half-way', async () => {
    await insertRaw([{ id: 1, title: 'a' }, { id: 2, title: 'b' }]);
    await extractor().ex.execute();
    const before = await items();
    await db.dal.knex(RAW).delete();
    await insertRaw([{ id: 1, title: 'new a' }, { id: 3, title: 'c' }, { id: 4, title: 'd' }, { id: 5, title: 'e', fail: true }]);
    const err = await extractor(undefined, 2).ex.execute().catch((e: unknown) => e);
    expect(hasErrorCode(err, 'DEVLAKE_E_EXTRACT')).toBe(true);
    expect((err as Error).message).toContain('raw row 6 of _raw_demo_api_items');
    expect((err as Error).message).toContain('bad record 5');
    expect(await items()).toEqual(before);
  });

  it('rolls back and raises a cancellation when the signal aborts mid-way', async () => {
    await insertRaw([{ id: 1, title: 'a' }]);
    await extractor().ex.execute();
    const before = await items();
    await insertRaw(Array.from({ length: 20 }, (_, i) => ({ id: 100 + i, title: `n${i}` })));
    const ac = new AbortController();
    const { ctx } = subTaskContext(db.dal, ac.signal);
    let calls = 0;
    const ex = new ApiExtractor<Rec>({
      ctx,
      rawTable: RAW,
      params: PARAMS,
      outputs: [Item],
      batchSize: 3,
      extract(rec) {
        if (++calls === 10) ac.abort();
        return [Item.row({ connection_id: 1, item_id: rec.id, title: 'changed' })];
      },
    });
    const err = await ex.execute().catch((e: unknown) => e);
    expect(hasErrorCode(err, 'DEVLAKE_E_CANCELLED')).toBe(true);
    expect(await items()).toEqual(before);
  });

  it('rejects a row without its primary key and a raw table that does not exist', async () => {
    await insertRaw([{ id: 1, title: 'a' }]);
    const { ctx } = subTaskContext(db.dal);
    const noKey = new ApiExtractor<Rec>({
      ctx,
      rawTable: RAW,
      params: PARAMS,
      extract: () => [Item.row({ connection_id: 1, title: 'x' } as unknown as ItemRow)],
    });
    const err = await noKey.execute().catch((e: unknown) => e);
    expect(hasErrorCode(err, 'DEVLAKE_E_MODEL')).toBe(true);
    expect((err as Error).message).toContain('item_id');
    const missing = new ApiExtractor({ ctx, rawTable: '_raw_demo_nothing', params: PARAMS, extract: () => [] });
    const err2 = await missing.execute().catch((e: unknown) => e);
    expect(hasErrorCode(err2, 'DEVLAKE_E_EXTRACT')).toBe(true);
    expect((err2 as { hint?: string }).hint).toMatch(/collector/);
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['an empty string', ''],
    ['NaN', Number.NaN],
  ])('fails on a key part that is %s, naming the table, the key and the raw row; the previous rows stay', async (_label, bad) => {
    await insertRaw([{ id: 1, title: 'a' }, { id: 2, title: 'b' }]);
    await extractor().ex.execute();
    const before = await items();
    const { ctx } = subTaskContext(db.dal);
    // The third raw row's record has no id: keyed by it, all such records would collapse into one row.
    await insertRaw([{ id: 3, title: 'c' }]);
    const [{ id: rawId }] = await db.dal.knex(RAW).max({ id: 'id' });
    const noKey = new ApiExtractor<Rec>({
      ctx,
      rawTable: RAW,
      params: PARAMS,
      outputs: [Item],
      extract: (rec) => [Item.row({ connection_id: 1, item_id: (rec.id === 3 ? bad : rec.id) as number, title: rec.title })],
    });
    const err = await noKey.execute().catch((e: unknown) => e);
    expect(hasErrorCode(err, 'DEVLAKE_E_MODEL')).toBe(true);
    expect((err as Error).message).toContain(`A row for ${Item.table} has no value for primary key column "item_id"`);
    expect((err as Error).message).toContain(`raw row ${Number(rawId)} of ${RAW}`);
    expect((err as { data: Record<string, unknown> }).data).toMatchObject({ table: Item.table, column: 'item_id', rawId: Number(rawId) });
    expect(await items()).toEqual(before);
  });

  it('names the raw row whose data is not JSON', async () => {
    await insertRaw([{ id: 1, title: 'a' }]);
    await db.dal.insert(RAW, [{ params: PARAMS_JSON, data: '{"id": 2,', url: 'https://x/2' }]);
    const err = await extractor().ex.execute().catch((e: unknown) => e);
    expect(hasErrorCode(err, 'DEVLAKE_E_EXTRACT')).toBe(true);
    expect((err as Error).message).toContain('raw row 2 of _raw_demo_api_items');
    expect(await items()).toEqual([]);
  });

  it('rejects a result that is not a list of model rows, and an output table without provenance columns', async () => {
    await insertRaw([{ id: 1, title: 'a' }]);
    const { ctx } = subTaskContext(db.dal);
    const notRows = new ApiExtractor<Rec>({ ctx, rawTable: RAW, params: PARAMS, extract: () => [{ connection_id: 1 }] as never });
    const err = await notRows.execute().catch((e: unknown) => e);
    expect(hasErrorCode(err, 'DEVLAKE_E_MODEL')).toBe(true);
    expect((err as { hint?: string }).hint).toMatch(/Model\.row/);
    await db.dal.knex.schema.createTable('_tool_demo_bare', (t) => t.integer('k').primary());
    const Bare = defineModel<{ k: number }>({ table: '_tool_demo_bare', primaryKey: ['k'] });
    const bare = new ApiExtractor<Rec>({ ctx, rawTable: RAW, params: PARAMS, outputs: [Bare], extract: (rec) => [Bare.row({ k: rec.id })] });
    const err2 = await bare.execute().catch((e: unknown) => e);
    expect(hasErrorCode(err2, 'DEVLAKE_E_DB_QUERY')).toBe(true);
    expect((err2 as { hint?: string }).hint).toMatch(/addRawDataOrigin/);
  });

  it('names the table when a row does not fit it, and writes nothing', async () => {
    await insertRaw([{ id: 1, title: 'a' }, { id: 2, title: 'b' }]);
    const { ctx } = subTaskContext(db.dal);
    const err = await new ApiExtractor<Rec>({
      ctx,
      rawTable: RAW,
      params: PARAMS,
      outputs: [Item],
      extract: (rec) => [Item.row({ connection_id: 1, item_id: rec.id, title: rec.title, no_such_column: 1 } as unknown as ItemRow)],
    })
      .execute()
      .catch((e: unknown) => e);
    expect(hasErrorCode(err, 'DEVLAKE_E_DB_QUERY')).toBe(true);
    expect((err as Error).message).toContain('Writing rows to _tool_demo_items failed');
    expect(await items()).toEqual([]);
  });

  it('leaves the session as it found it when run inside an outer transaction', async () => {
    await insertRaw([{ id: 1, title: 'a' }]);
    const setting = async (k: { raw(sql: string): Promise<unknown> }) => {
      const res = (await k.raw(`SELECT current_setting('enable_sort') AS v`)) as { rows: Array<{ v: string }> };
      return res.rows[0].v;
    };
    await db.dal.transaction(async (tx) => {
      const { ctx } = subTaskContext(tx);
      await new ApiExtractor<Rec>({ ctx, rawTable: RAW, params: PARAMS, extract: (rec) => [Item.row({ connection_id: 1, item_id: rec.id, title: rec.title })] }).execute();
      if (db.dialect === 'postgres') expect(await setting(tx.knex)).toBe('on');
    });
    expect((await items()).map((r) => r.id)).toEqual([1]);
  });

  it('strips NUL characters from strings on Postgres and keeps them on SQLite', async () => {
    await insertRaw([{ id: 1, title: 'nul\u0000here' }]);
    await extractor().ex.execute();
    const [row] = await items();
    expect(row.title).toBe(db.dialect === 'postgres' ? 'nulhere' : 'nul\u0000here');
  });
});
