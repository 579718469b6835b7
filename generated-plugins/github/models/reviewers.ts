import { col, defineTable, noPkModelColumns } from 'devlake-ts';

/** `_tool_github_reviewers`: DevLake's models.GithubReviewer (backend/plugins/github/models/reviewer.go). */
export const GithubReviewer = defineTable('_tool_github_reviewers', {
  connection_id: col.bigint().primaryKey(),
  reviewer_id: col.bigint().primaryKey(),
  pull_request_id: col.bigint().primaryKey(),
  name: col.text(),
  username: col.text(),
  state: col.text(),
  avatar_url: col.text(),
  web_url: col.text(),
  ...noPkModelColumns(),
});
