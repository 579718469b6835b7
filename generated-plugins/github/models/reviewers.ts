import { defineModel, type NoPkModelRow } from 'devlake-ts';
import { NO_PK_MODEL_COLUMNS } from './common';

/** `_tool_github_reviewers`: DevLake's models.GithubReviewer (backend/plugins/github/models/reviewer.go). */
export interface GithubReviewerRow extends NoPkModelRow {
  connection_id: number;
  reviewer_id: number;
  pull_request_id: number;
  name?: string | null;
  username?: string | null;
  state?: string | null;
  avatar_url?: string | null;
  web_url?: string | null;
}

export const GithubReviewer = defineModel<GithubReviewerRow>({
  table: '_tool_github_reviewers',
  primaryKey: ['connection_id', 'reviewer_id', 'pull_request_id'],
  columns: ['connection_id', 'reviewer_id', 'pull_request_id', 'name', 'username', 'state', 'avatar_url', 'web_url', ...NO_PK_MODEL_COLUMNS],
});
