import { Commit, converter, DomainTypes, RepoCommit } from 'devlake-ts';
import type { SelectRowOf } from 'devlake-ts';
import { GithubCommit, GithubRepoCommit } from '../models';
import { RAW, ids, ofRepo } from './shared';
import type { GithubTaskData } from '../task-data';

/** Convert Commits (off by default): this repo's tool commits → `commits`, `repo_commits`; DevLake identifies authors and committers by email. */
export const ConvertCommitsMeta = converter<GithubTaskData, SelectRowOf<typeof GithubCommit>>({
  entity: 'commits',
  enabledByDefault: false,
  domainTypes: [DomainTypes.CODE],
  rawTable: RAW.commits,
  from: GithubCommit,
  where: (q, data) => q.whereIn('sha', (s) => s.select('commit_sha').from(GithubRepoCommit.table).where(ofRepo(data))),
  outputs: [Commit, RepoCommit],
  convert: (c, { data: { options } }) => [
    Commit.row({
      sha: c.sha ?? '',
      message: c.message ?? '',
      additions: c.additions ?? 0,
      deletions: c.deletions ?? 0,
      author_id: c.author_email ?? '',
      author_name: c.author_name ?? '',
      author_email: c.author_email ?? '',
      authored_date: c.authored_date,
      committer_name: c.committer_name ?? '',
      committer_email: c.committer_email ?? '',
      committed_date: c.committed_date,
      committer_id: c.committer_email ?? '',
    }),
    RepoCommit.row({ repo_id: ids.repo.generate(options.connectionId, options.githubId), commit_sha: c.sha ?? '' }),
  ],
});
