import { defineModel } from 'devlake-ts';

/** `_tool_github_pull_request_reviews`: DevLake's models.GithubPrReview (backend/plugins/github/models/pr_review.go). */
export interface GithubPrReviewRow {
  connection_id: number;
  github_id: number;
  pull_request_id?: number;
  body?: string | null;
  author_username?: string | null;
  author_user_id?: number;
  commit_sha?: string | null;
  github_submit_at?: Date | string | null;
  state?: string | null;
  created_at?: Date | string | null;
  updated_at?: Date | string | null;
  _raw_data_params?: string;
  _raw_data_table?: string;
  _raw_data_id?: number;
  _raw_data_remark?: string | null;
}

export const GithubPrReview = defineModel<GithubPrReviewRow>({
  table: '_tool_github_pull_request_reviews',
  primaryKey: ['connection_id', 'github_id'],
  columns: ['connection_id', 'github_id', 'pull_request_id', 'body', 'author_username', 'author_user_id', 'commit_sha', 'github_submit_at', 'state', 'created_at', 'updated_at', '_raw_data_params', '_raw_data_table', '_raw_data_id', '_raw_data_remark'],
});
