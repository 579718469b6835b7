import { DomainTypes, mappedExtractor, pick } from 'devlake-ts';
import type { ModelRow } from 'devlake-ts';
import { GithubAccount, GithubCommit, GithubRepoCommit } from '../models';
import { field, int, str } from 'devlake-ts/devlake';
import { RAW } from './shared';
import type { GithubTaskData } from '../task-data';

/** Rules for a commit record of the list or the detail API (only the detail API has stats). */
export const commitColumns = {
  sha: pick.asIs('sha', { nullAs: '' }),
  message: pick.asIs('commit.message', { nullAs: '' }),
  author_name: pick.asIs('commit.author.name', { nullAs: '' }),
  author_email: pick.asIs('commit.author.email', { nullAs: '' }),
  authored_date: pick.time('commit.author.date'),
  author_id: pick.int('author.id', { nullAs: 0 }),
  committer_name: pick.asIs('commit.committer.name', { nullAs: '' }),
  committer_email: pick.asIs('commit.committer.email', { nullAs: '' }),
  committed_date: pick.time('commit.committer.date'),
  committer_id: pick.int('committer.id', { nullAs: 0 }),
  url: pick.asIs('url', { nullAs: '' }),
  additions: pick.int('stats.additions', { nullAs: 0 }),
  deletions: pick.int('stats.deletions', { nullAs: 0 }),
};

/** Accounts GitHub links to a commit (its author and committer users), as tool accounts. */
export function commitAccounts(record: unknown, data: GithubTaskData): ModelRow<any>[] {
  const users = ['author', 'committer'].map((k) => field<unknown>(record, k)).filter((u) => u && typeof u === 'object' && int(field(u, 'id')) !== 0);
  return users.map((u) => {
    const s = (k: string) => str(field(u, k));
    return GithubAccount.row({ connection_id: data.options.connectionId, id: int(field(u, 'id')), login: s('login'), avatar_url: s('avatar_url'), url: s('url'), html_url: s('html_url'), type: s('type') });
  });
}

/** Extract Commits (off by default): `_raw_github_api_commits` → commits, repo commits, accounts. */
export const ExtractApiCommitsMeta = mappedExtractor<GithubTaskData, typeof GithubCommit>({
  entity: 'commits',
  enabledByDefault: false,
  description: 'Extract raw commit data into tool layer table github_commits',
  domainTypes: [DomainTypes.CODE],
  rawTable: RAW.commits,
  table: GithubCommit,
  columns: commitColumns,
  alsoWrites: [GithubRepoCommit, GithubAccount],
  perRecord: (data) => (commit, record) => {
    if (commit.sha === '') return false;
    return [...commitAccounts(record, data), GithubRepoCommit.row({ connection_id: data.options.connectionId, repo_id: data.options.githubId, commit_sha: commit.sha })];
  },
});
