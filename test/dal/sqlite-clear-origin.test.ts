import { clearSqliteOrigin } from '../../src/dal/sqlite/clear-origin';
import { freshDatabase, type TestDb } from '../../src/testing/databases';

/** Deleting an origin's rows on SQLite (src/dal/sqlite/clear-origin.ts): the same rows go, by truncation when they are all. */
describe('clearSqliteOrigin', () => {
  let db: TestDb;
  beforeEach(async () => {
    db = await freshDatabase('sqlite::memory:');
    await db.dal.knex.schema.createTable('_tool_t', (t) => {
      t.integer('id').primary();
      t.string('_raw_data_table');
      t.string('_raw_data_params');
    });
  });
  afterEach(async () => {
    await db.drop();
  });

  const ids = async () => ((await db.dal.knex('_tool_t').select('id').orderBy('id')) as Array<{ id: number }>).map((r) => r.id);

  it('deletes only the rows of the origin while the table holds others (NULL provenance included)', async () => {
    await db.dal.insert('_tool_t', [
      { id: 1, _raw_data_table: '_raw_a', _raw_data_params: '{"p":1}' },
      { id: 2, _raw_data_table: '_raw_a', _raw_data_params: '{"p":2}' },
      { id: 3, _raw_data_table: '_raw_b', _raw_data_params: '{"p":1}' },
      { id: 4, _raw_data_table: null, _raw_data_params: '{"p":1}' },
      { id: 5, _raw_data_table: '_raw_a', _raw_data_params: null },
      { id: 6, _raw_data_table: '_raw_a', _raw_data_params: '{"p":1}' },
    ]);
    await db.dal.transaction((tx) => clearSqliteOrigin(tx.knex, '_tool_t', '_raw_a', '{"p":1}'));
    expect(await ids()).toEqual([2, 3, 4, 5]);
  });

  it('empties a table whose rows are all of the origin, and rolls back with its transaction', async () => {
    await db.dal.insert('_tool_t', Array.from({ length: 300 }, (_, i) => ({ id: i, _raw_data_table: '_raw_a', _raw_data_params: '{"p":1}' })));
    await expect(
      db.dal.transaction(async (tx) => {
        await clearSqliteOrigin(tx.knex, '_tool_t', '_raw_a', '{"p":1}');
        expect(((await tx.knex('_tool_t').count({ n: '*' })) as Array<{ n: number }>)[0]!.n).toBe(0);
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect((await ids()).length).toBe(300);
    await db.dal.transaction((tx) => clearSqliteOrigin(tx.knex, '_tool_t', '_raw_a', '{"p":1}'));
    expect(await ids()).toEqual([]);
    await clearSqliteOrigin(db.dal.knex, '_tool_t', '_raw_a', '{"p":1}'); // an empty table
  });
});
