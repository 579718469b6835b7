import { defineModel, type NoPkModelRow } from 'devlake-ts';
import { NO_PK_MODEL_COLUMNS } from './common';

/** `_tool_github_pull_request_labels`: DevLake's models.GithubPrLabel (backend/plugins/github/models/pr_label.go). */
export interface GithubPrLabelRow extends NoPkModelRow {
  connection_id: number;
  pull_id: number;
  label_name: string;
}

export const GithubPrLabel = defineModel<GithubPrLabelRow>({
  table: '_tool_github_pull_request_labels',
  primaryKey: ['connection_id', 'pull_id', 'label_name'],
  columns: ['connection_id', 'pull_id', 'label_name', ...NO_PK_MODEL_COLUMNS],
});
