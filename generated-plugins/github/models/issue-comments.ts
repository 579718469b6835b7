import { defineModel, type NoPkModelRow } from 'devlake-ts';
import { NO_PK_MODEL_COLUMNS } from './common';

/** `_tool_github_issue_comments`: DevLake's models.GithubIssueComment (backend/plugins/github/models/issue_comment.go). */
export interface GithubIssueCommentRow extends NoPkModelRow {
  connection_id: number;
  github_id: number;
  issue_id?: number;
  body?: string | null;
  author_username?: string | null;
  author_user_id?: number;
  github_created_at?: Date | string | null;
  github_updated_at?: Date | string | null;
}

export const GithubIssueComment = defineModel<GithubIssueCommentRow>({
  table: '_tool_github_issue_comments',
  primaryKey: ['connection_id', 'github_id'],
  columns: ['connection_id', 'github_id', 'issue_id', 'body', 'author_username', 'author_user_id', 'github_created_at', 'github_updated_at', ...NO_PK_MODEL_COLUMNS],
});
