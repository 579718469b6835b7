import { databases, DataFlowTester, type TestDb } from 'devlake-ts/testing';
import plugin from '../index';
import { GithubIssue } from '../models';
import { ConvertIssuesMeta } from '../tasks/issue-convertor';
import { buildTaskData } from '../task-data';

// The conformance data has closed issues only. One database: the mapping is the point, not the storage.
describe.each(databases().slice(0, 1))('Convert Issues status, $name', ({ open }) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await open();
  });
  afterEach(async () => db.drop());

  it('makes a closed issue DONE and an open one TODO, keeping GitHub state as original_status', async () => {
    const tester = new DataFlowTester({ dal: db.dal, plugin });
    await tester.migrate();
    const issue = { connection_id: 1, repo_id: 7, title: 't', _raw_data_params: '{"ConnectionId":1,"Name":"o/r"}', _raw_data_table: '_raw_github_api_issues', _raw_data_id: 1, _raw_data_remark: '' };
    await db.dal.upsert(GithubIssue.table, [
      { ...issue, github_id: 1, number: 1, state: 'closed' },
      { ...issue, github_id: 2, number: 2, state: 'open' },
      { ...issue, github_id: 3, number: 3, state: null },
    ], { primaryKey: GithubIssue.primaryKey });
    await tester.runSubtask(ConvertIssuesMeta, buildTaskData({ connectionId: 1, name: 'o/r', githubId: 7 }));
    const rows = await db.dal.knex('issues').select('issue_key', 'status', 'original_status').orderBy('issue_key');
    expect(rows).toStrictEqual([
      { issue_key: '1', status: 'DONE', original_status: 'closed' },
      { issue_key: '2', status: 'TODO', original_status: 'open' },
      { issue_key: '3', status: 'TODO', original_status: '' },
    ]);
  });
});
