import { converter, DomainTypes, PullRequestCommit } from 'devlake-ts';
import type { SelectRowOf } from 'devlake-ts';
import { GithubPrCommit, GithubPullRequest } from '../models';
import { RAW, ids, ofRepo } from './shared';
import type { GithubTaskData } from '../task-data';

/** Convert PR Commits: commits of this repo's PRs → `pull_request_commits`. */
export const ConvertPullRequestCommitsMeta = converter<GithubTaskData, SelectRowOf<typeof GithubPrCommit>>({
  entity: 'pull_request_commits',
  name: 'Convert PR Commits',
  domainTypes: [DomainTypes.CROSS, DomainTypes.CODE_REVIEW],
  rawTable: RAW.prCommits,
  from: GithubPrCommit,
  where: (q, data) => q.whereIn('pull_request_id', (s) => s.select('github_id').from(GithubPullRequest.table).where(ofRepo(data))),
  outputs: [PullRequestCommit],
  convert: (row, { data }) => [
    PullRequestCommit.row({
      commit_sha: row.commit_sha ?? '',
      pull_request_id: ids.pullRequest.generate(data.options.connectionId, row.pull_request_id ?? 0),
      commit_author_name: row.commit_author_name ?? '',
      commit_author_email: row.commit_author_email ?? '',
      commit_authored_date: row.commit_authored_date,
    }),
  ],
});
