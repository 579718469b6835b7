import { hasErrorCode } from '../../src/core/errors';
import { defineModel } from '../../src/core/model';
import { createTableWriter } from '../../src/helpers/table-writers';
import { databases, type TestDb } from '../../src/testing/databases';

const Thing = defineModel<{ k1: number; k2: string; v?: string | null; n?: number | null; at?: Date | null; flag?: boolean | null; meta?: unknown }>({
  table: 'things',
  primaryKey: ['k1', 'k2'],
});

describe.each(databases())('table writers on $name', ({ open }) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await open();
    await db.dal.knex.schema.createTable('things', (t) => {
      t.integer('k1').notNullable();
      t.string('k2', 20).notNullable();
      t.text('v');
      t.integer('n');
      t.timestamp('at', { useTz: true });
      t.boolean('flag');
      t.text('meta');
      t.primary(['k1', 'k2']);
    });
  });
  afterEach(async () => db.drop());

  const rows = async () => (await db.dal.knex('things').orderBy(['k1', 'k2'])).map((r) => ({ ...r, k1: Number(r.k1), n: r.n === null ? null : Number(r.n) }));

  it('upserts with the last row winning within and across batches, rows of different column sets included', async () => {
    const at = new Date('2022-06-13T15:35:54.000Z');
    await db.dal.transaction(async (tx) => {
      const w = await createTableWriter(tx, Thing, 2);
      for (const r of [
        { k1: 1, k2: 'a', v: 'first', n: 1 },
        { k1: 1, k2: 'a', v: 'second' },
        { k1: 2, k2: 'b', v: 'x', at, flag: true, meta: { tags: ['a'] } },
        { k1: 3, k2: 'c', v: undefined, n: 3 },
        { k1: 1, k2: 'a', v: 'last', n: 9 },
      ]) {
        await w.add(r);
      }
      await w.flush();
    });
    const got = await rows();
    expect(got.map((r) => [r.k1, r.k2, r.v, r.n])).toEqual([
      [1, 'a', 'last', 9],
      [2, 'b', 'x', null],
      [3, 'c', null, 3],
    ]);
    expect(new Date(got[1].at).toISOString()).toBe(at.toISOString());
    expect([true, 1]).toContain(got[1].flag);
    expect(JSON.parse(got[1].meta)).toEqual({ tags: ['a'] });
  });

  it('does nothing on conflict when a row has only key columns', async () => {
    await db.dal.insert('things', [{ k1: 1, k2: 'a', v: 'kept' }]);
    await db.dal.transaction(async (tx) => {
      const w = await createTableWriter(tx, Thing, 10);
      await w.add({ k1: 1, k2: 'a' });
      await w.flush();
    });
    expect((await rows())[0].v).toBe('kept');
  });

  it('names the table in a driver error', async () => {
    const err = await db.dal
      .transaction(async (tx) => {
        const w = await createTableWriter(tx, Thing, 1);
        await w.add({ k1: 1, k2: 'a', nope: 1 });
        await w.flush();
      })
      .catch((e: unknown) => e);
    expect(hasErrorCode(err, 'DEVLAKE_E_DB_QUERY')).toBe(true);
    expect((err as Error).message).toMatch(/^Writing rows to things failed: /);
  });
});
