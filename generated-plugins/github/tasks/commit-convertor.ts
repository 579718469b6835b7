import { DomainTypes } from 'devlake-ts';
import type { ModelRow, Row, SubTaskMeta } from 'devlake-ts';
import { Commit, RepoCommit } from './domain';
import { dbInt, dbStr, dbTime } from './db-values';
import { RAW, convert, ids } from './shared';
import type { GithubTaskData } from './task-data';

/** The domain commit and its repo link for one tool commit; DevLake identifies authors and committers by email. */
export function convertCommit(c: Row, domainRepoId: string): ModelRow<any>[] {
  return [
    Commit.row({
      sha: dbStr(c.sha),
      message: dbStr(c.message),
      additions: dbInt(c.additions),
      deletions: dbInt(c.deletions),
      author_id: dbStr(c.author_email),
      author_name: dbStr(c.author_name),
      author_email: dbStr(c.author_email),
      authored_date: dbTime(c.authored_date),
      committer_name: dbStr(c.committer_name),
      committer_email: dbStr(c.committer_email),
      committed_date: dbTime(c.committed_date),
      committer_id: dbStr(c.committer_email),
    }),
    RepoCommit.row({ repo_id: domainRepoId, commit_sha: dbStr(c.sha) }),
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
    await convert<Row>(
      ctx,
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
