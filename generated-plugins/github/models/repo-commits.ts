import { col, defineTable, noPkModelColumns } from 'devlake-ts';

/** `_tool_github_repo_commits`: DevLake's models.GithubRepoCommit (backend/plugins/github/models/repo_commit.go). */
export const GithubRepoCommit = defineTable('_tool_github_repo_commits', {
  connection_id: col.bigint().primaryKey(),
  repo_id: col.bigint().primaryKey(),
  commit_sha: col.string(255).primaryKey(),
  ...noPkModelColumns(),
});
