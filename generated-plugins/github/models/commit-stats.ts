import { col, defineTable, noPkModelColumns } from 'devlake-ts';

/** `_tool_github_commit_stats`: DevLake's models.GithubCommitStat (backend/plugins/github/models/commit_stat.go). */
export const GithubCommitStat = defineTable('_tool_github_commit_stats', {
  connection_id: col.bigint().primaryKey(),
  sha: col.string(40).primaryKey(),
  additions: col.bigint(),
  deletions: col.bigint(),
  committed_date: col.datetime(),
  ...noPkModelColumns(),
});
