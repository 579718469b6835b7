import { hasErrorCode } from '../../src/core/errors';
import { defineModel } from '../../src/core/model';
import { addNoPkModelColumns } from '../../src/dal/columns';
import { ensureRawTable } from '../../src/dal/raw-table';
import { sqliteDialect } from '../../src/dal/sqlite';
import type { Dal } from '../../src/dal/types';
import { ApiExtractor } from '../../src/helpers/api-extractor';
import { databases, type TestDb } from '../../src/testing/databases';
import { subTaskContext } from './subtask-fixture';

// ApiExtractor on a SQLite file with enough raw rows that its writes go to a writer thread (detached-sink.ts).
const sqlite = databases().find((d) => d.name === 'sqlite')!;
const Item = defineModel<{ connection_id: number; item_id: number; title: string | null }>({ table: '_tool_big_items', primaryKey: ['connection_id', 'item_id'] });
const Tag = defineModel<{ item_id: number; tag: string }>({ table: '_tool_big_tags', primaryKey: ['item_id', 'tag'] });
const RAW = '_raw_big_items';
const PARAMS = { ConnectionId: 1 };
const N = 2600;

type Rec = { id: number; title: string; v: number };

describe('ApiExtractor with a detached writer (SQLite file, many rows)', () => {
  let db: TestDb;
  beforeEach(async () => {
    db = await sqlite.open();
    await ensureRawTable(db.dal, RAW);
    await db.dal.knex.schema.createTable(Item.table, (t) => {
      t.bigInteger('connection_id').notNullable();
      t.bigInteger('item_id').notNullable();
      t.text('title');
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

  // Every tenth record from the 1000th repeats an id 900 records back: the last raw row of a key wins, across batches too.
  const idOf = (i: number) => (i % 10 === 9 && i >= 1000 ? i - 901 : i);
  const distinct = new Set(Array.from({ length: N }, (_, i) => idOf(i))).size;
  const fill = (v: number) =>
    db.dal.insert(
      RAW,
      Array.from({ length: N }, (_, i) => ({ params: JSON.stringify(PARAMS), data: JSON.stringify({ id: idOf(i), title: `t${i} ü`, v } satisfies Rec) })),
    );

  const run = (dal: Dal, opts: { failAt?: number; badAt?: number; signal?: AbortSignal; abortAt?: () => void } = {}) => {
    const { ctx } = subTaskContext(dal, opts.signal);
    let seen = 0;
    return new ApiExtractor<Rec>({
      ctx,
      rawTable: RAW,
      params: PARAMS,
      outputs: [Item],
      batchSize: 100,
      extract(rec) {
        seen++;
        if (seen === opts.failAt) throw new Error('bad record');
        if (seen === 1500) opts.abortAt?.();
        const item = Item.row({ connection_id: 1, item_id: rec.id, title: rec.title });
        if (seen === opts.badAt) Object.assign(item.data, { no_such_column: 1 });
        return [item, Tag.row({ item_id: rec.id, tag: `v${rec.v}` })];
      },
    }).execute();
  };

  // Without created_at/updated_at: the database's clock at the write.
  const provenance = ['_raw_data_params', '_raw_data_table', '_raw_data_id', '_raw_data_remark'];
  const snapshot = async () => ({
    items: await db.dal.knex(Item.table).select('connection_id', 'item_id', 'title', ...provenance).orderBy('item_id'),
    tags: await db.dal.knex(Tag.table).select('item_id', 'tag', ...provenance).orderBy(['item_id', 'tag']),
  });

  it('writes what the same extraction writes inside a transaction (on the run connection)', async () => {
    await fill(1);
    const opened = jest.spyOn(sqliteDialect, 'openDetachedWriter');
    try {
      await run(db.dal);
      expect(opened.mock.results[0]?.value).toBeDefined();
    } finally {
      opened.mockRestore();
    }
    const detached = await snapshot();
    expect(distinct).toBeLessThan(N);
    expect(detached.items).toHaveLength(distinct);
    expect(detached.tags).toHaveLength(distinct);
    expect(detached.items.find((r) => Number(r.item_id) === 1008)!.title).toBe('t1909 ü');
    await db.dal.transaction((tx) => run(tx));
    expect(await snapshot()).toEqual(detached);
  });

  it.each([
    ['extract() throws', { failAt: 2400 }, 'DEVLAKE_E_EXTRACT' as const],
    ['a write fails (unknown column)', { badAt: 2300 }, 'DEVLAKE_E_DB_QUERY' as const],
  ])('keeps the previous rows when %s late in the run', async (_what, opts, code) => {
    await fill(1);
    await run(db.dal);
    const before = await snapshot();
    await db.dal.knex(RAW).delete();
    await fill(2);
    const err = await run(db.dal, opts).catch((e: unknown) => e);
    expect(hasErrorCode(err, code)).toBe(true);
    if (code === 'DEVLAKE_E_DB_QUERY') expect(String((err as Error).message)).toMatch(/_tool_big_items.*no_such_column/);
    expect(await snapshot()).toEqual(before);
    // The file is free again: the next run writes.
    await run(db.dal);
    expect((await snapshot()).tags[0]!.tag).toBe('v2');
  });

  it('keeps the previous rows when cancelled', async () => {
    await fill(1);
    await run(db.dal);
    const before = await snapshot();
    await db.dal.knex(RAW).update({ data: JSON.stringify({ id: 1, title: 'x', v: 3 }) });
    const ac = new AbortController();
    const err = await run(db.dal, { signal: ac.signal, abortAt: () => ac.abort() }).catch((e: unknown) => e);
    expect(hasErrorCode(err, 'DEVLAKE_E_CANCELLED')).toBe(true);
    expect(await snapshot()).toEqual(before);
  });
});
