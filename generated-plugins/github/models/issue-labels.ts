import { defineModel, type NoPkModelRow } from 'devlake-ts';
import { NO_PK_MODEL_COLUMNS } from './common';

/** `_tool_github_issue_labels`: DevLake's models.GithubIssueLabel (backend/plugins/github/models/issue_label.go). */
export interface GithubIssueLabelRow extends NoPkModelRow {
  connection_id: number;
  issue_id: number;
  label_name: string;
}

export const GithubIssueLabel = defineModel<GithubIssueLabelRow>({
  table: '_tool_github_issue_labels',
  primaryKey: ['connection_id', 'issue_id', 'label_name'],
  columns: ['connection_id', 'issue_id', 'label_name', ...NO_PK_MODEL_COLUMNS],
});
