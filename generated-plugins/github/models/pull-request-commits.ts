import { col, defineTable, noPkModelColumns } from 'devlake-ts';

/** `_tool_github_pull_request_commits`: DevLake's models.GithubPrCommit (backend/plugins/github/models/pr_commit.go). */
export const GithubPrCommit = defineTable('_tool_github_pull_request_commits', {
  connection_id: col.bigint().primaryKey(),
  commit_sha: col.string(255).primaryKey(),
  pull_request_id: col.bigint().primaryKey(),
  commit_author_name: col.text(),
  commit_author_email: col.text(),
  commit_authored_date: col.datetime(),
  ...noPkModelColumns(),
});
