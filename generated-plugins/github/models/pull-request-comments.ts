import { col, defineTable, noPkModelColumns } from 'devlake-ts';

/** `_tool_github_pull_request_comments`: DevLake's models.GithubPrComment (backend/plugins/github/models/pr_comment.go). */
export const GithubPrComment = defineTable('_tool_github_pull_request_comments', {
  connection_id: col.bigint().primaryKey(),
  github_id: col.bigint().primaryKey(),
  pull_request_id: col.bigint(),
  body: col.text(),
  author_username: col.text(),
  author_user_id: col.bigint(),
  commit_sha: col.text(),
  github_created_at: col.datetime(),
  github_updated_at: col.datetime(),
  review_id: col.bigint(),
  type: col.text(),
  ...noPkModelColumns(),
});
