import { defineModel } from 'devlake-ts';

/** `_tool_github_pull_request_issues`: DevLake's models.GithubPrIssue (backend/plugins/github/models/pr_issue.go). */
export interface GithubPrIssueRow {
  connection_id: number;
  pull_request_id: number;
  issue_id: number;
  pull_request_number?: number;
  issue_number?: number;
  created_at?: Date | string | null;
  updated_at?: Date | string | null;
  _raw_data_params?: string;
  _raw_data_table?: string;
  _raw_data_id?: number;
  _raw_data_remark?: string | null;
}

export const GithubPrIssue = defineModel<GithubPrIssueRow>({
  table: '_tool_github_pull_request_issues',
  primaryKey: ['connection_id', 'pull_request_id', 'issue_id'],
  columns: ['connection_id', 'pull_request_id', 'issue_id', 'pull_request_number', 'issue_number', 'created_at', 'updated_at', '_raw_data_params', '_raw_data_table', '_raw_data_id', '_raw_data_remark'],
});
