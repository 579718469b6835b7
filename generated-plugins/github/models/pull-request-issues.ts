import { defineModel, type NoPkModelRow } from 'devlake-ts';
import { NO_PK_MODEL_COLUMNS } from './common';

/** `_tool_github_pull_request_issues`: DevLake's models.GithubPrIssue (backend/plugins/github/models/pr_issue.go). */
export interface GithubPrIssueRow extends NoPkModelRow {
  connection_id: number;
  pull_request_id: number;
  issue_id: number;
  pull_request_number?: number;
  issue_number?: number;
}

export const GithubPrIssue = defineModel<GithubPrIssueRow>({
  table: '_tool_github_pull_request_issues',
  primaryKey: ['connection_id', 'pull_request_id', 'issue_id'],
  columns: ['connection_id', 'pull_request_id', 'issue_id', 'pull_request_number', 'issue_number', ...NO_PK_MODEL_COLUMNS],
});
