import { DomainTypes } from 'devlake-ts';
import type { ModelRow, SubTaskMeta } from 'devlake-ts';
import { GithubCommit, GithubPrCommit, GithubRepoCommit } from '../models';
import { field, int, rawJsonField, str, time } from 'devlake-ts/devlake';
import { RAW, extract } from './shared';
import type { GithubTaskData } from './task-data';

/** A raw row GitHub answered with "Not Found" (DevLake skips it). */
export function isNotFound(rawText: string): boolean {
  return rawText.startsWith('{"message": "Not Found"');
}

/** Tool rows for one raw PR commit; the PR comes from the raw row's input (`{"GithubId", "Number"}`). */
export function extractPrCommit(record: unknown, rawText: string, input: unknown, data: GithubTaskData): ModelRow<any>[] {
  if (isNotFound(rawText)) return [];
  const sha = str(field(record, 'sha'));
  const commit = field<unknown>(record, 'commit') ?? {};
  const author = field<unknown>(commit, 'author') ?? {};
  const committer = field<unknown>(commit, 'committer') ?? {};
  const authoredDate = time(field(author, 'date'));
  const commitRow = {
    sha,
    message: rawJsonField(rawJsonField(rawText, 'commit'), 'message'),
    author_id: int(field(author, 'id')),
    author_name: str(field(author, 'name')),
    author_email: str(field(author, 'email')),
    authored_date: authoredDate,
    committer_id: 0,
    committer_name: str(field(committer, 'name')),
    committer_email: str(field(committer, 'email')),
    committed_date: time(field(committer, 'date')),
    url: str(field(record, 'url')),
    additions: 0,
    deletions: 0,
  };
  return [
    GithubRepoCommit.row({ connection_id: data.options.connectionId, repo_id: data.options.githubId, commit_sha: sha }),
    GithubCommit.row(commitRow),
    GithubPrCommit.row({
      connection_id: data.options.connectionId,
      commit_sha: sha,
      pull_request_id: int(field(input, 'GithubId')),
      commit_author_name: commitRow.author_name,
      commit_author_email: commitRow.author_email,
      commit_authored_date: authoredDate,
    }),
  ];
}

/** Extract PR Commits: `_raw_github_api_pull_request_commits` → commits, PR commits, repo commits. */
export const ExtractApiPullRequestCommitsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Extract PR Commits',
  enabledByDefault: true,
  description: 'Extract raw PullRequestCommits data into tool layer table github_commits',
  domainTypes: [DomainTypes.CROSS, DomainTypes.CODE_REVIEW],
  async entryPoint(ctx) {
    const data = ctx.getData();
    await extract(ctx, RAW.prCommits, [GithubRepoCommit, GithubCommit, GithubPrCommit], (record, raw, text) =>
      extractPrCommit(record, text, raw.inputJson, data),
    );
  },
};
