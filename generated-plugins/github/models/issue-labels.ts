import { defineModel } from 'devlake-ts';

/** `_tool_github_issue_labels`: DevLake's models.GithubIssueLabel (backend/plugins/github/models/issue_label.go). */
export interface GithubIssueLabelRow {
  connection_id: number;
  issue_id: number;
  label_name: string;
  created_at?: Date | string | null;
  updated_at?: Date | string | null;
  _raw_data_params?: string;
  _raw_data_table?: string;
  _raw_data_id?: number;
  _raw_data_remark?: string | null;
}

export const GithubIssueLabel = defineModel<GithubIssueLabelRow>({
  table: '_tool_github_issue_labels',
  primaryKey: ['connection_id', 'issue_id', 'label_name'],
  columns: ['connection_id', 'issue_id', 'label_name', 'created_at', 'updated_at', '_raw_data_params', '_raw_data_table', '_raw_data_id', '_raw_data_remark'],
});
