import { col, defineTable, noPkModelColumns } from 'devlake-ts';

/** `_tool_github_issue_labels`: DevLake's models.GithubIssueLabel (backend/plugins/github/models/issue_label.go). */
export const GithubIssueLabel = defineTable('_tool_github_issue_labels', {
  connection_id: col.bigint().primaryKey(),
  issue_id: col.bigint().primaryKey(),
  label_name: col.string(255).primaryKey(),
  ...noPkModelColumns(),
});
