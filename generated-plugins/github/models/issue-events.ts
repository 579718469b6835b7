import { defineModel } from 'devlake-ts';

/** `_tool_github_issue_events`: DevLake's models.GithubIssueEvent (backend/plugins/github/models/issue_event.go). */
export interface GithubIssueEventRow {
  connection_id: number;
  github_id: number;
  issue_id?: number;
  type?: string | null;
  author_username?: string | null;
  github_created_at?: Date | string | null;
  created_at?: Date | string | null;
  updated_at?: Date | string | null;
  _raw_data_params?: string;
  _raw_data_table?: string;
  _raw_data_id?: number;
  _raw_data_remark?: string | null;
}

export const GithubIssueEvent = defineModel<GithubIssueEventRow>({
  table: '_tool_github_issue_events',
  primaryKey: ['connection_id', 'github_id'],
  columns: ['connection_id', 'github_id', 'issue_id', 'type', 'author_username', 'github_created_at', 'created_at', 'updated_at', '_raw_data_params', '_raw_data_table', '_raw_data_id', '_raw_data_remark'],
});
