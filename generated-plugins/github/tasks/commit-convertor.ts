import { DomainTypes } from 'devlake-ts';
import type { ModelRow, SelectRowOf, SubTaskMeta } from 'devlake-ts';
import { Commit, RepoCommit } from './domain';
import { GithubCommit } from '../models';
import { RAW, convert, ids } from './shared';
import type { GithubTaskData } from './task-data';

/** The domain commit and its repo link for one tool commit; DevLake identifies authors and committers by email. */
export function convertCommit(c: SelectRowOf<typeof GithubCommit>, domainRepoId: string): ModelRow<any>[] {
  return [
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
    RepoCommit.row({ repo_id: domainRepoId, commit_sha: c.sha ?? '' }),
  ];
}

/** Convert Commits (off by default): this repo's tool commits → `commits`, `repo_commits`. */
export const ConvertCommitsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Convert Commits',
  enabledByDefault: false,
  description: 'Convert tool layer table github_commits into domain layer tables commits and repo_commits',
  domainTypes: [DomainTypes.CODE],
  async entryPoint(ctx) {
    const { connectionId, githubId } = ctx.getData().options;
    await convert<SelectRowOf<typeof GithubCommit>>(
      ctx,
      GithubCommit,
      RAW.commits,
      [Commit, RepoCommit],
      (db) =>
        db('_tool_github_commits as gc')
          .select('gc.*')
          .join('_tool_github_repo_commits as grc', 'grc.commit_sha', 'gc.sha')
          .where('grc.repo_id', githubId)
          .andWhere('grc.connection_id', connectionId),
      ['gc.sha'],
      (row) => convertCommit(row, ids.repo.generate(connectionId, githubId)),
    );
  },
};
