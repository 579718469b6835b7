import * as path from 'node:path';
import { DataFlowTester, databases, type TestDb } from 'devlake-ts/testing';
import plugin from '..';
import { IclaCommitter } from '../models/committer';
import type { IclaTaskData } from '../task-data';
import { RAW_COMMITTER_TABLE } from '../tasks/committer-collector';
import { ExtractCommitterMeta } from '../tasks/committer-extractor';

const fixture = (file: string): string => path.join(__dirname, file);

describe.each(databases())('icla committer extractor on $name', ({ open }) => {
  let db: TestDb;
  let tester: DataFlowTester;
  beforeEach(async () => {
    db = await open();
    tester = new DataFlowTester({ dal: db.dal, plugin });
    await tester.migrate();
  });
  afterEach(async () => db.drop());

  it('extracts _raw_icla_committer into _tool_icla_committer, twice with the same result', async () => {
    await tester.importCsvIntoRawTable(fixture('raw_tables/_raw_icla_committer.csv'), RAW_COMMITTER_TABLE);
    const taskData = await tester.prepareTaskData<IclaTaskData>({ scope: 'default' });
    for (let run = 0; run < 2; run++) {
      await tester.runSubtask(ExtractCommitterMeta, taskData);
      await tester.verifyTable(IclaCommitter.table, fixture('snapshot_tables/_tool_icla_committer.csv'), {
        columns: ['user_name', 'name', '_raw_data_params', '_raw_data_table', '_raw_data_id', '_raw_data_remark'],
      });
    }
  });
});
