import { defineModel } from 'devlake-ts';

/** `_tool_github_pull_request_labels`: DevLake's models.GithubPrLabel (backend/plugins/github/models/pr_label.go). */
export interface GithubPrLabelRow {
  connection_id: number;
  pull_id: number;
  label_name: string;
  created_at?: Date | string | null;
  updated_at?: Date | string | null;
  _raw_data_params?: string;
  _raw_data_table?: string;
  _raw_data_id?: number;
  _raw_data_remark?: string | null;
}

export const GithubPrLabel = defineModel<GithubPrLabelRow>({
  table: '_tool_github_pull_request_labels',
  primaryKey: ['connection_id', 'pull_id', 'label_name'],
  columns: ['connection_id', 'pull_id', 'label_name', 'created_at', 'updated_at', '_raw_data_params', '_raw_data_table', '_raw_data_id', '_raw_data_remark'],
});
