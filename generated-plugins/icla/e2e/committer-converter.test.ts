import * as path from 'node:path';
import { Account } from 'devlake-ts';
import { DataFlowTester, databases, type TestDb } from 'devlake-ts/testing';
import plugin from '..';
import { IclaCommitter } from '../models/committer';
import type { IclaTaskData } from '../task-data';
import { ConvertCommitterMeta } from '../tasks/committer-converter';

const fixture = (file: string): string => path.join(__dirname, file);

describe.each(databases())('icla committer converter on $name', ({ open }) => {
  let db: TestDb;
  let tester: DataFlowTester;
  beforeEach(async () => {
    db = await open();
    tester = new DataFlowTester({ dal: db.dal, plugin });
    await tester.migrate();
  });
  afterEach(async () => db.drop());

  it('converts _tool_icla_committer into accounts, twice with the same result', async () => {
    // The extractor's snapshot is this converter's input, as in DevLake's e2e tests.
    await tester.importCsvIntoTable(fixture('snapshot_tables/_tool_icla_committer.csv'), IclaCommitter.table);
    const taskData = await tester.prepareTaskData<IclaTaskData>({ scope: 'default' });
    for (let run = 0; run < 2; run++) {
      await tester.runSubtask(ConvertCommitterMeta, taskData);
      await tester.verifyTable(Account.table, fixture('snapshot_tables/accounts.csv'), {
        columns: ['id', 'user_name', 'full_name', '_raw_data_params', '_raw_data_table', '_raw_data_id', '_raw_data_remark'],
      });
    }
  });
});
