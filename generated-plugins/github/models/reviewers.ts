import { defineModel } from 'devlake-ts';

/** `_tool_github_reviewers`: DevLake's models.GithubReviewer (backend/plugins/github/models/reviewer.go). */
export interface GithubReviewerRow {
  connection_id: number;
  reviewer_id: number;
  pull_request_id: number;
  name?: string | null;
  username?: string | null;
  state?: string | null;
  avatar_url?: string | null;
  web_url?: string | null;
  created_at?: Date | string | null;
  updated_at?: Date | string | null;
  _raw_data_params?: string;
  _raw_data_table?: string;
  _raw_data_id?: number;
  _raw_data_remark?: string | null;
}

export const GithubReviewer = defineModel<GithubReviewerRow>({
  table: '_tool_github_reviewers',
  primaryKey: ['connection_id', 'reviewer_id', 'pull_request_id'],
  columns: ['connection_id', 'reviewer_id', 'pull_request_id', 'name', 'username', 'state', 'avatar_url', 'web_url', 'created_at', 'updated_at', '_raw_data_params', '_raw_data_table', '_raw_data_id', '_raw_data_remark'],
});
