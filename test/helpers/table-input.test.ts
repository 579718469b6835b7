import { col, defineTable, noPkModelColumns } from '../../src/core/table';
import { createTable } from '../../src/dal/table-ddl';
import { tableInput } from '../../src/helpers/table-input';
import { databases, type TestDb } from '../../src/testing/databases';

const Runs = defineTable('_tool_demo_runs', {
  connection_id: col.bigint().primaryKey(),
  id: col.bigint().primaryKey(),
  repo_id: col.bigint(),
  name: col.text(),
  ...noPkModelColumns(),
});

describe.each(databases())('tableInput on $name', ({ open }) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await open();
    await createTable(db.dal.knex, Runs);
    const rows = [30, 10, 2 ** 40, 20].map((id) => ({ connection_id: 1, id, repo_id: id === 20 ? 8 : 7, name: `run ${id}` }));
    await db.dal.upsert(Runs.table, rows, { primaryKey: Runs.primaryKey });
  });
  afterEach(async () => db.drop());

  it('yields the selected rows in key order, decoded as numbers, mapped to inputs', async () => {
    const inputs: unknown[] = [];
    const input = tableInput(db.dal, Runs, (q) => q.select('id', 'name').where({ connection_id: 1, repo_id: 7 }), ['id'], (r) => ({ ID: r.id, Name: r.name }));
    for await (const i of input) inputs.push(i);
    expect(inputs).toStrictEqual([
      { ID: 10, Name: 'run 10' },
      { ID: 30, Name: 'run 30' },
      { ID: 2 ** 40, Name: `run ${2 ** 40}` },
    ]);
  });

  it('yields nothing for a selection with no rows', async () => {
    const input = tableInput(db.dal, Runs, (q) => q.select('id').where({ repo_id: 99 }), ['id'], (r) => r.id);
    const inputs: number[] = [];
    for await (const i of input) inputs.push(i);
    expect(inputs).toStrictEqual([]);
  });
});
