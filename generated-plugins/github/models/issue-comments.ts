import { defineModel } from 'devlake-ts';

/** `_tool_github_issue_comments`: DevLake's models.GithubIssueComment (backend/plugins/github/models/issue_comment.go). */
export interface GithubIssueCommentRow {
  connection_id: number;
  github_id: number;
  issue_id?: number;
  body?: string | null;
  author_username?: string | null;
  author_user_id?: number;
  github_created_at?: Date | string | null;
  github_updated_at?: Date | string | null;
  created_at?: Date | string | null;
  updated_at?: Date | string | null;
  _raw_data_params?: string;
  _raw_data_table?: string;
  _raw_data_id?: number;
  _raw_data_remark?: string | null;
}

export const GithubIssueComment = defineModel<GithubIssueCommentRow>({
  table: '_tool_github_issue_comments',
  primaryKey: ['connection_id', 'github_id'],
  columns: ['connection_id', 'github_id', 'issue_id', 'body', 'author_username', 'author_user_id', 'github_created_at', 'github_updated_at', 'created_at', 'updated_at', '_raw_data_params', '_raw_data_table', '_raw_data_id', '_raw_data_remark'],
});
