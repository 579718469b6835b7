import { col, defineTable, noPkModelColumns, type SelectRowOf } from 'devlake-ts';

/** `_tool_github_issues`: DevLake's models.GithubIssue (backend/plugins/github/models/issue.go). */
export const GithubIssue = defineTable('_tool_github_issues', {
  connection_id: col.bigint().primaryKey(),
  github_id: col.bigint().primaryKey(),
  repo_id: col.bigint(),
  number: col.bigint(),
  state: col.text(),
  title: col.text(),
  body: col.text(),
  priority: col.text(),
  type: col.text(),
  std_type: col.text(),
  author_id: col.bigint(),
  author_name: col.text(),
  assignee_id: col.bigint(),
  assignee_name: col.text(),
  milestone_id: col.bigint(),
  lead_time_minutes: col.bigint(),
  url: col.text(),
  closed_at: col.datetime(),
  github_created_at: col.datetime(),
  github_updated_at: col.datetime(),
  severity: col.text(),
  component: col.text(),
  ...noPkModelColumns(),
});
export type GithubIssueRow = SelectRowOf<typeof GithubIssue>;
