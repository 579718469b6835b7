import { col, defineTable, noPkModelColumns } from 'devlake-ts';

/** `_tool_github_issue_events`: DevLake's models.GithubIssueEvent (backend/plugins/github/models/issue_event.go). */
export const GithubIssueEvent = defineTable('_tool_github_issue_events', {
  connection_id: col.bigint().primaryKey(),
  github_id: col.bigint().primaryKey(),
  issue_id: col.bigint(),
  type: col.text(),
  author_username: col.text(),
  github_created_at: col.datetime(),
  ...noPkModelColumns(),
});
