import { defineModel, type NoPkModelRow } from 'devlake-ts';
import { NO_PK_MODEL_COLUMNS } from './common';

/** `_tool_github_pull_request_comments`: DevLake's models.GithubPrComment (backend/plugins/github/models/pr_comment.go). */
export interface GithubPrCommentRow extends NoPkModelRow {
  connection_id: number;
  github_id: number;
  pull_request_id?: number;
  body?: string | null;
  author_username?: string | null;
  author_user_id?: number;
  commit_sha?: string | null;
  github_created_at?: Date | string | null;
  github_updated_at?: Date | string | null;
  review_id?: number;
  type?: string | null;
}

export const GithubPrComment = defineModel<GithubPrCommentRow>({
  table: '_tool_github_pull_request_comments',
  primaryKey: ['connection_id', 'github_id'],
  columns: ['connection_id', 'github_id', 'pull_request_id', 'body', 'author_username', 'author_user_id', 'commit_sha', 'github_created_at', 'github_updated_at', 'review_id', 'type', ...NO_PK_MODEL_COLUMNS],
});
