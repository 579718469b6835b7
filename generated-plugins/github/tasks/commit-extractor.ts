import { DomainTypes } from 'devlake-ts';
import type { ModelRow, SubTaskMeta } from 'devlake-ts';
import { GithubAccount, GithubCommit, GithubRepoCommit } from '../models';
import type { GithubCommitRow } from '../models';
import { field, int, str, time } from 'devlake-ts/devlake';
import { RAW, extract } from './shared';
import type { GithubTaskData } from './task-data';

/** The tool commit for a commit record of the list or detail API (additions/deletions 0 unless given). */
export function githubCommitOf(record: unknown, stats?: { additions: number; deletions: number }): GithubCommitRow {
  const commit = field<unknown>(record, 'commit') ?? {};
  const author = field<unknown>(commit, 'author') ?? {};
  const committer = field<unknown>(commit, 'committer') ?? {};
  const user = (k: string) => {
    const u = field<unknown>(record, k);
    return u && typeof u === 'object' ? int(field(u, 'id')) : 0;
  };
  return {
    sha: str(field(record, 'sha')),
    message: str(field(commit, 'message')),
    author_name: str(field(author, 'name')),
    author_email: str(field(author, 'email')),
    authored_date: time(field(author, 'date')),
    author_id: user('author'),
    committer_name: str(field(committer, 'name')),
    committer_email: str(field(committer, 'email')),
    committed_date: time(field(committer, 'date')),
    committer_id: user('committer'),
    url: str(field(record, 'url')),
    additions: stats?.additions ?? 0,
    deletions: stats?.deletions ?? 0,
  };
}

/** Accounts GitHub links to a commit (its author and committer users), as tool accounts. */
export function commitAccounts(record: unknown, data: GithubTaskData): ModelRow<any>[] {
  const rows: ModelRow<any>[] = [];
  for (const k of ['author', 'committer']) {
    const u = field<unknown>(record, k);
    if (!u || typeof u !== 'object' || int(field(u, 'id')) === 0) continue;
    rows.push(
      GithubAccount.row({
        connection_id: data.options.connectionId,
        id: int(field(u, 'id')),
        login: str(field(u, 'login')),
        avatar_url: str(field(u, 'avatar_url')),
        url: str(field(u, 'url')),
        html_url: str(field(u, 'html_url')),
        type: str(field(u, 'type')),
      }),
    );
  }
  return rows;
}

/** Tool rows for one raw commit of the repo's commit list. */
export function extractCommit(record: unknown, data: GithubTaskData): ModelRow<any>[] {
  const commit = githubCommitOf(record);
  if (commit.sha === '') return [];
  return [
    ...commitAccounts(record, data),
    GithubCommit.row(commit),
    GithubRepoCommit.row({ connection_id: data.options.connectionId, repo_id: data.options.githubId, commit_sha: commit.sha }),
  ];
}

/** Extract Commits (off by default): `_raw_github_api_commits` → commits, repo commits, accounts. */
export const ExtractApiCommitsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Extract Commits',
  enabledByDefault: false,
  description: 'Extract raw commit data into tool layer table github_commits',
  domainTypes: [DomainTypes.CODE],
  async entryPoint(ctx) {
    const data = ctx.getData();
    await extract(ctx, RAW.commits, [GithubCommit, GithubRepoCommit], (record) => extractCommit(record, data));
  },
};
