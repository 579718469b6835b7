import { DomainTypes } from 'devlake-ts';
import type { SelectRowOf, SubTaskMeta } from 'devlake-ts';
import { PullRequestIssue } from './domain';
import { GithubPrIssue } from '../models';
import { RAW, convert, ids } from './shared';
import type { GithubTaskData } from './task-data';

/** Convert PR Issues: `_tool_github_pull_request_issues` of this repo → `pull_request_issues`. */
export const ConvertPullRequestIssuesMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Convert PR Issues',
  enabledByDefault: true,
  description: 'Convert tool layer table github_pull_request_issues into domain layer table pull_request_issues',
  domainTypes: [DomainTypes.CROSS],
  async entryPoint(ctx) {
    const { connectionId, githubId } = ctx.getData().options;
    await convert<SelectRowOf<typeof GithubPrIssue>>(
      ctx,
      GithubPrIssue,
      RAW.pullRequests,
      [PullRequestIssue],
      (db) =>
        db('_tool_github_pull_request_issues as pi')
          .select('pi.*')
          .leftJoin('_tool_github_pull_requests as p', 'p.github_id', 'pi.pull_request_id')
          .where('p.repo_id', githubId)
          .andWhere('p.connection_id', connectionId),
      ['pi.connection_id', 'pi.pull_request_id', 'pi.issue_id'],
      (row) => [
        PullRequestIssue.row({
          pull_request_id: ids.pullRequest.generate(connectionId, row.pull_request_id ?? 0),
          issue_id: ids.issue.generate(connectionId, row.issue_id ?? 0),
          issue_key: String(row.issue_number ?? 0),
          pull_request_key: row.pull_request_number ?? 0,
        }),
      ],
    );
  },
};
