import { defineModel, type NoPkModelRow } from 'devlake-ts';
import { NO_PK_MODEL_COLUMNS } from './common';

/** `_tool_github_pull_request_reviews`: DevLake's models.GithubPrReview (backend/plugins/github/models/pr_review.go). */
export interface GithubPrReviewRow extends NoPkModelRow {
  connection_id: number;
  github_id: number;
  pull_request_id?: number;
  body?: string | null;
  author_username?: string | null;
  author_user_id?: number;
  commit_sha?: string | null;
  github_submit_at?: Date | string | null;
  state?: string | null;
}

export const GithubPrReview = defineModel<GithubPrReviewRow>({
  table: '_tool_github_pull_request_reviews',
  primaryKey: ['connection_id', 'github_id'],
  columns: ['connection_id', 'github_id', 'pull_request_id', 'body', 'author_username', 'author_user_id', 'commit_sha', 'github_submit_at', 'state', ...NO_PK_MODEL_COLUMNS],
});
