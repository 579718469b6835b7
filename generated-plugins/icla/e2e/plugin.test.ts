import { DataFlowTester, databases, type TestDb } from 'devlake-ts/testing';
import plugin from '..';
import { IclaScope } from '../models/scope';

describe('icla plugin', () => {
  it('declares unique subtask names and increasing migration versions', () => {
    const names = plugin.subTaskMetas().map((meta) => meta.name);
    expect(new Set(names).size).toBe(names.length);
    const versions = (plugin.migrationScripts?.() ?? []).map((script) => script.version);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
  });
});

describe.each(databases())('icla plugin on $name', ({ open }) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await open();
  });
  afterEach(async () => db.drop());

  it('migrates twice and has every table it declares', async () => {
    const tester = new DataFlowTester({ dal: db.dal, plugin });
    await tester.migrate();
    await tester.migrate();
    const tables = (plugin.getTablesInfo?.() ?? []).map((model) => model.table);
    const present = await Promise.all(tables.map((table) => db.dal.hasTable(table)));
    expect(present).toEqual(tables.map(() => true));
  });

  it('records the scope of every run once, however often it runs', async () => {
    const tester = new DataFlowTester({ dal: db.dal, plugin });
    await tester.migrate();
    for (const scope of ['one', 'one', 'two']) await tester.prepareTaskData({ scope });
    const scopes = await db.dal.knex(IclaScope.table).select('scope').orderBy('scope');
    expect(scopes).toEqual([{ scope: 'one' }, { scope: 'two' }]);
  });
});
