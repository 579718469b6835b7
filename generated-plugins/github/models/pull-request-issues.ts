import { col, defineTable, noPkModelColumns } from 'devlake-ts';

/** `_tool_github_pull_request_issues`: DevLake's models.GithubPrIssue (backend/plugins/github/models/pr_issue.go). */
export const GithubPrIssue = defineTable('_tool_github_pull_request_issues', {
  connection_id: col.bigint().primaryKey(),
  pull_request_id: col.bigint().primaryKey(),
  issue_id: col.bigint().primaryKey(),
  pull_request_number: col.bigint(),
  issue_number: col.bigint(),
  ...noPkModelColumns(),
});
