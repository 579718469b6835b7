import { col, defineTable, noPkModelColumns } from 'devlake-ts';

/** `_tool_github_pull_request_reviews`: DevLake's models.GithubPrReview (backend/plugins/github/models/pr_review.go). */
export const GithubPrReview = defineTable('_tool_github_pull_request_reviews', {
  connection_id: col.bigint().primaryKey(),
  github_id: col.bigint().primaryKey(),
  pull_request_id: col.bigint(),
  body: col.text(),
  author_username: col.text(),
  author_user_id: col.bigint(),
  commit_sha: col.text(),
  github_submit_at: col.datetime(),
  state: col.text(),
  ...noPkModelColumns(),
});
