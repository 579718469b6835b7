import { DomainTypes, mappedExtractor, pick } from 'devlake-ts';
import { GithubCommit, GithubPrCommit, GithubRepoCommit } from '../models';
import { field, int, str } from 'devlake-ts/devlake';
import { RAW } from './shared';
import type { GithubTaskData } from '../task-data';

/**
 * Extract PR Commits: `_raw_github_api_pull_request_commits` → commits, and
 * links to the PR (from the raw row's input, `{"GithubId", "Number"}`) and to
 * the repo. A "Not Found" answer is skipped, as DevLake does.
 */
export const ExtractApiPullRequestCommitsMeta = mappedExtractor<GithubTaskData, typeof GithubCommit>({
  entity: 'pr_commits',
  name: 'Extract PR Commits',
  description: 'Extract raw PullRequestCommits data into tool layer table github_commits',
  domainTypes: [DomainTypes.CROSS, DomainTypes.CODE_REVIEW],
  rawTable: RAW.prCommits,
  table: GithubCommit,
  columns: {
    sha: pick.asIs('sha', { nullAs: '' }),
    message: pick.json('commit.message'),
    author_id: pick.int('commit.author.id', { nullAs: 0 }),
    author_name: pick.asIs('commit.author.name', { nullAs: '' }),
    author_email: pick.asIs('commit.author.email', { nullAs: '' }),
    authored_date: pick.time('commit.author.date'),
    committer_id: pick.constant(0),
    committer_name: pick.asIs('commit.committer.name', { nullAs: '' }),
    committer_email: pick.asIs('commit.committer.email', { nullAs: '' }),
    committed_date: pick.time('commit.committer.date'),
    url: pick.asIs('url', { nullAs: '' }),
    additions: pick.constant(0),
    deletions: pick.constant(0),
  },
  alsoWrites: [GithubRepoCommit, GithubPrCommit],
  perRecord: (data) => (commit, record, raw) => {
    if (str(field(record, 'message')) === 'Not Found') return false;
    const { connectionId, githubId } = data.options;
    return [
      GithubRepoCommit.row({ connection_id: connectionId, repo_id: githubId, commit_sha: commit.sha }),
      GithubPrCommit.row({
        connection_id: connectionId,
        commit_sha: commit.sha,
        pull_request_id: int(field(raw.inputJson, 'GithubId')),
        commit_author_name: commit.author_name,
        commit_author_email: commit.author_email,
        commit_authored_date: commit.authored_date,
      }),
    ];
  },
});
