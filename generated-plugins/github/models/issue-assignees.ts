import { defineModel } from 'devlake-ts';

/** `_tool_github_issue_assignees`: DevLake's models.GithubIssueAssignee (backend/plugins/github/models/issue_assignee.go). */
export interface GithubIssueAssigneeRow {
  created_at?: Date | string | null;
  updated_at?: Date | string | null;
  _raw_data_params?: string;
  _raw_data_table?: string;
  _raw_data_id?: number;
  _raw_data_remark?: string | null;
  connection_id: number;
  issue_id: number;
  repo_id: number;
  assignee_id: number;
  assignee_name?: string | null;
}

export const GithubIssueAssignee = defineModel<GithubIssueAssigneeRow>({
  table: '_tool_github_issue_assignees',
  primaryKey: ['connection_id', 'issue_id', 'repo_id', 'assignee_id'],
  columns: ['created_at', 'updated_at', '_raw_data_params', '_raw_data_table', '_raw_data_id', '_raw_data_remark', 'connection_id', 'issue_id', 'repo_id', 'assignee_id', 'assignee_name'],
});
