import { col, defineTable, noPkModelColumns, type SelectRowOf } from 'devlake-ts';

/** `_tool_github_commits`: DevLake's models.GithubCommit (backend/plugins/github/models/commit.go). */
export const GithubCommit = defineTable('_tool_github_commits', {
  sha: col.string(255).primaryKey(),
  author_id: col.bigint(),
  author_name: col.text(),
  author_email: col.text(),
  authored_date: col.datetime(),
  committer_id: col.bigint(),
  committer_name: col.text(),
  committer_email: col.text(),
  committed_date: col.datetime(),
  message: col.text(),
  url: col.text(),
  additions: col.bigint(),
  deletions: col.bigint(),
  ...noPkModelColumns(),
});
export type GithubCommitRow = SelectRowOf<typeof GithubCommit>;
