import * as path from 'node:path';
import { databases, DataFlowTester, type TestDb } from 'devlake-ts/testing';
import plugin from '../index';
import { ConvertReviewsMeta } from '../tasks/pr-reviewer-convertor';
import { buildTaskData } from '../task-data';
import { defaultConformanceDir } from './manifest';

const SNAPSHOTS = path.join(defaultConformanceDir(), 'snapshot_tables');

// DevLake's GitHub plugin fills pull_request_reviewers from _tool_github_reviewers (Convert Reviews);
// the conformance data has the tool rows (the pr_review test's snapshot), not a domain snapshot of them.
describe.each(databases())('Convert Reviews on DevLake conformance data, $name', ({ open }) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await open();
  });
  afterEach(async () => db.drop());

  it("writes one pull_request_reviewers row per reviewer of the repo's PRs, with DevLake's ids", async () => {
    const tester = new DataFlowTester({ dal: db.dal, plugin });
    await tester.migrate();
    await tester.importCsvIntoTable(path.join(SNAPSHOTS, '_tool_github_pull_requests.csv'), '_tool_github_pull_requests');
    const reviewers = await tester.importCsvIntoTable(path.join(SNAPSHOTS, '_tool_github_reviewers.csv'), '_tool_github_reviewers');
    const data = buildTaskData({ connectionId: 1, name: 'panjf2000/ants', githubId: 134018330 });
    const progress = await tester.runSubtask(ConvertReviewsMeta, data);

    const tool = await db.dal.knex('_tool_github_reviewers as r').join('_tool_github_pull_requests as p', 'p.github_id', 'r.pull_request_id').where('p.repo_id', 134018330).select('r.*');
    expect(reviewers).toBe(6);
    expect(tool.length).toBeGreaterThan(0);
    expect(progress.rowsWritten.get('pull_request_reviewers')).toBe(tool.length);
    const rows = await db.dal.knex('pull_request_reviewers').orderBy(['pull_request_id', 'reviewer_id']);
    expect(rows.map((r: { pull_request_id: string; reviewer_id: string; user_name: string; name: string; _raw_data_table: string }) => [r.pull_request_id, r.reviewer_id, r.user_name, r.name, r._raw_data_table]).sort()).toEqual(
      tool
        .map((t: { pull_request_id: number; reviewer_id: number; username: string }) => [
          `github:GithubPullRequest:1:${t.pull_request_id}`,
          `github:GithubAccount:1:${t.reviewer_id}`,
          t.username,
          '',
          '_raw_github_api_pull_request_reviews',
        ])
        .sort(),
    );
  });
});
