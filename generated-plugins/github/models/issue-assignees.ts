import { defineModel, type NoPkModelRow } from 'devlake-ts';
import { NO_PK_MODEL_COLUMNS } from './common';

/** `_tool_github_issue_assignees`: DevLake's models.GithubIssueAssignee (backend/plugins/github/models/issue_assignee.go). */
export interface GithubIssueAssigneeRow extends NoPkModelRow {
  connection_id: number;
  issue_id: number;
  repo_id: number;
  assignee_id: number;
  assignee_name?: string | null;
}

export const GithubIssueAssignee = defineModel<GithubIssueAssigneeRow>({
  table: '_tool_github_issue_assignees',
  primaryKey: ['connection_id', 'issue_id', 'repo_id', 'assignee_id'],
  columns: [...NO_PK_MODEL_COLUMNS, 'connection_id', 'issue_id', 'repo_id', 'assignee_id', 'assignee_name'],
});
