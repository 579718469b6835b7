import { converter, DomainTypes, PullRequestIssue } from 'devlake-ts';
import type { SelectRowOf } from 'devlake-ts';
import { GithubPrIssue, GithubPullRequest } from '../models';
import { RAW, ids, ofRepo } from './shared';
import type { GithubTaskData } from '../task-data';

/** Convert PR Issues: `_tool_github_pull_request_issues` of this repo → `pull_request_issues`. */
export const ConvertPullRequestIssuesMeta = converter<GithubTaskData, SelectRowOf<typeof GithubPrIssue>>({
  entity: 'pull_request_issues',
  name: 'Convert PR Issues',
  domainTypes: [DomainTypes.CROSS],
  rawTable: RAW.pullRequests,
  from: GithubPrIssue,
  where: (q, data) => q.whereIn('pull_request_id', (s) => s.select('github_id').from(GithubPullRequest.table).where(ofRepo(data))),
  outputs: [PullRequestIssue],
  convert: (row, { data: { options } }) => [
    PullRequestIssue.row({
      pull_request_id: ids.pullRequest.generate(options.connectionId, row.pull_request_id ?? 0),
      issue_id: ids.issue.generate(options.connectionId, row.issue_id ?? 0),
      issue_key: String(row.issue_number ?? 0),
      pull_request_key: row.pull_request_number ?? 0,
    }),
  ],
});
