import { col, defineTable, noPkModelColumns } from 'devlake-ts';

/** `_tool_github_pull_request_labels`: DevLake's models.GithubPrLabel (backend/plugins/github/models/pr_label.go). */
export const GithubPrLabel = defineTable('_tool_github_pull_request_labels', {
  connection_id: col.bigint().primaryKey(),
  pull_id: col.bigint().primaryKey(),
  label_name: col.string(255).primaryKey(),
  ...noPkModelColumns(),
});
