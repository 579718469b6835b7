import { hasErrorCode } from '../../src/core/errors';
import { defineModel, type ModelDef } from '../../src/core/model';
import { BatchSaveDivider } from '../../src/helpers/batch-save';
import { databases, freshDatabase, type TestDb } from '../../src/testing/databases';

const ORIGIN = { rawTable: '_raw_demo_things', params: '{"ConnectionId":1}' };
const Thing = defineModel<{ id: number; v: string }>({ table: 'things', primaryKey: ['id'] });
const Other = defineModel<{ id: number }>({ table: 'others', primaryKey: ['id'] });
const provenance = { _raw_data_params: ORIGIN.params, _raw_data_table: ORIGIN.rawTable, _raw_data_id: 1, _raw_data_remark: '' };

type Input = { model: ModelDef<any>; data: Record<string, unknown> };

/** Drives the divider as the extractor does: await what add() returns, flushAll() at the end. */
async function save(saver: BatchSaveDivider, rows: Input[]): Promise<void> {
  for (const { model, data } of rows) {
    const row = model.row(data as never);
    const pending = saver.add(row, { ...data, ...provenance });
    if (pending) await pending;
  }
  await saver.flushAll();
}

describe.each(databases())('BatchSaveDivider on $name', ({ open }) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await open();
    for (const table of ['things', 'others']) {
      await db.dal.knex.schema.createTable(table, (t) => {
        t.integer('id').primary();
        if (table === 'things') t.text('v');
        t.string('_raw_data_params', 255);
        t.string('_raw_data_table', 255);
        t.bigInteger('_raw_data_id');
        t.text('_raw_data_remark');
      });
    }
  });
  afterEach(async () => db.drop());

  it('counts every row and keeps the last per key while a batch write is in flight', async () => {
    // Batch size 2: the batches of ids 1–20 overlap, and id 1 comes back in a later batch.
    const rows: Input[] = Array.from({ length: 20 }, (_, i) => ({ model: Thing, data: { id: i + 1, v: `v${i + 1}` } }));
    rows.push({ model: Thing, data: { id: 1, v: 'last' } }, { model: Other, data: { id: 7 } });
    const written = await db.dal.transaction(async (tx) => {
      const saver = new BatchSaveDivider(tx, ORIGIN, 2);
      await save(saver, rows);
      return saver.written;
    });
    expect(Object.fromEntries(written)).toEqual({ things: 21, others: 1 });
    const things = await db.dal.knex('things').orderBy('id');
    expect(things).toHaveLength(20);
    expect(things[0].v).toBe('last');
    expect(things[19].v).toBe('v20');
  });

  it('reports the failed write itself, not what fails after it, and keeps nothing', async () => {
    await db.dal.insert('things', [{ id: 100, v: 'before', ...provenance }]);
    const rows: Input[] = [1, 2, 3, 4].map((id) => ({ model: Thing, data: id === 2 ? { id, v: 'x', nope: 1 } : { id, v: 'x' } }));
    rows.push({ model: Other, data: { id: 1 } });
    const err = await db.dal
      .transaction(async (tx) => save(new BatchSaveDivider(tx, ORIGIN, 2), rows))
      .catch((e: unknown) => e);
    expect(hasErrorCode(err, 'DEVLAKE_E_DB_QUERY')).toBe(true);
    expect((err as Error).message).toMatch(/^Writing rows to things failed: /);
    expect(await db.dal.knex('things').select('id', 'v')).toEqual([{ id: 100, v: 'before' }]);
    expect(await db.dal.knex('others')).toEqual([]);
  });
});

describe('BatchSaveDivider.clear: the hint follows the failure', () => {
  let db: TestDb;
  beforeEach(async () => {
    db = await freshDatabase('sqlite::memory:');
  });
  afterEach(async () => db.drop());

  it('names the migration when the provenance columns are missing, and not otherwise', async () => {
    await db.dal.knex.schema.createTable('bare', (t) => t.integer('id').primary());
    const Bare = defineModel<{ id: number }>({ table: 'bare', primaryKey: ['id'] });
    const missing = await db.dal.transaction((tx) => new BatchSaveDivider(tx, ORIGIN, 10).clear(Bare)).catch((e: unknown) => e);
    expect(hasErrorCode(missing, 'DEVLAKE_E_DB_QUERY')).toBe(true);
    expect((missing as { hint?: string }).hint).toMatch(/addRawDataOrigin/);

    // A delete the database refuses for another reason (here a trigger; in the field a lock held too long).
    await db.dal.knex.schema.createTable('things', (t) => {
      t.integer('id').primary();
      t.string('_raw_data_params', 255);
      t.string('_raw_data_table', 255);
    });
    await db.dal.insert('things', [{ id: 1, _raw_data_params: ORIGIN.params, _raw_data_table: ORIGIN.rawTable }]);
    await db.dal.knex.raw(`CREATE TRIGGER no_delete BEFORE DELETE ON things BEGIN SELECT RAISE(ABORT, 'database is locked'); END`);
    const refused = await db.dal.transaction((tx) => new BatchSaveDivider(tx, ORIGIN, 10).clear(Thing)).catch((e: unknown) => e);
    expect(hasErrorCode(refused, 'DEVLAKE_E_DB_QUERY')).toBe(true);
    expect((refused as Error).message).toMatch(/^Cannot replace the rows of things from _raw_demo_things: .*database is locked/);
    expect((refused as { hint?: string }).hint).toBe('Nothing of this extraction was kept (its transaction rolled back): check the database, then run the subtask again.');
    expect(await db.dal.knex('things').select('id')).toEqual([{ id: 1 }]);
  });
});
