import { DomainTypes } from 'devlake-ts';
import type { SelectRowOf, SubTaskMeta } from 'devlake-ts';
import { PullRequestCommit } from './domain';
import { GithubPrCommit } from '../models';
import { RAW, convert, ids } from './shared';
import type { GithubTaskData } from './task-data';

/** Convert PR Commits: commits of this repo's PRs → `pull_request_commits`. */
export const ConvertPullRequestCommitsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Convert PR Commits',
  enabledByDefault: true,
  description: 'Convert tool layer table github_pull_request_commits into domain layer table pull_request_commits',
  domainTypes: [DomainTypes.CROSS, DomainTypes.CODE_REVIEW],
  async entryPoint(ctx) {
    const { connectionId, githubId } = ctx.getData().options;
    await convert<SelectRowOf<typeof GithubPrCommit>>(
      ctx,
      GithubPrCommit,
      RAW.prCommits,
      [PullRequestCommit],
      (db) =>
        db('_tool_github_pull_request_commits as c')
          .select('c.*')
          .leftJoin('_tool_github_pull_requests as p', 'p.github_id', 'c.pull_request_id')
          .where('p.repo_id', githubId)
          .andWhere('p.connection_id', connectionId),
      ['c.connection_id', 'c.commit_sha', 'c.pull_request_id'],
      (row) => [
        PullRequestCommit.row({
          commit_sha: row.commit_sha ?? '',
          pull_request_id: ids.pullRequest.generate(connectionId, row.pull_request_id ?? 0),
          commit_author_name: row.commit_author_name ?? '',
          commit_author_email: row.commit_author_email ?? '',
          commit_authored_date: row.commit_authored_date,
        }),
      ],
    );
  },
};
