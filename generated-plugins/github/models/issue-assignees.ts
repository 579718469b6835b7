import { col, defineTable, noPkModelColumns } from 'devlake-ts';

/** `_tool_github_issue_assignees`: DevLake's models.GithubIssueAssignee (backend/plugins/github/models/issue_assignee.go). */
export const GithubIssueAssignee = defineTable('_tool_github_issue_assignees', {
  ...noPkModelColumns(),
  connection_id: col.bigint().primaryKey(),
  issue_id: col.bigint().primaryKey(),
  repo_id: col.bigint().primaryKey(),
  assignee_id: col.bigint().primaryKey(),
  assignee_name: col.text(),
});
