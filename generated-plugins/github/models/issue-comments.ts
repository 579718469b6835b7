import { col, defineTable, noPkModelColumns } from 'devlake-ts';

/** `_tool_github_issue_comments`: DevLake's models.GithubIssueComment (backend/plugins/github/models/issue_comment.go). */
export const GithubIssueComment = defineTable('_tool_github_issue_comments', {
  connection_id: col.bigint().primaryKey(),
  github_id: col.bigint().primaryKey(),
  issue_id: col.bigint(),
  body: col.text(),
  author_username: col.text(),
  author_user_id: col.bigint(),
  github_created_at: col.datetime(),
  github_updated_at: col.datetime(),
  ...noPkModelColumns(),
});
