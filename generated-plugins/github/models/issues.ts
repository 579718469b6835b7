import { defineModel, type NoPkModelRow } from 'devlake-ts';
import { NO_PK_MODEL_COLUMNS } from './common';

/** `_tool_github_issues`: DevLake's models.GithubIssue (backend/plugins/github/models/issue.go). */
export interface GithubIssueRow extends NoPkModelRow {
  connection_id: number;
  github_id: number;
  repo_id?: number;
  number?: number;
  state?: string | null;
  title?: string | null;
  body?: string | null;
  priority?: string | null;
  type?: string | null;
  std_type?: string | null;
  author_id?: number;
  author_name?: string | null;
  assignee_id?: number;
  assignee_name?: string | null;
  milestone_id?: number;
  lead_time_minutes?: number | null;
  url?: string | null;
  closed_at?: Date | string | null;
  github_created_at?: Date | string | null;
  github_updated_at?: Date | string | null;
  severity?: string | null;
  component?: string | null;
}

export const GithubIssue = defineModel<GithubIssueRow>({
  table: '_tool_github_issues',
  primaryKey: ['connection_id', 'github_id'],
  columns: ['connection_id', 'github_id', 'repo_id', 'number', 'state', 'title', 'body', 'priority', 'type', 'std_type', 'author_id', 'author_name', 'assignee_id', 'assignee_name', 'milestone_id', 'lead_time_minutes', 'url', 'closed_at', 'github_created_at', 'github_updated_at', 'severity', 'component', ...NO_PK_MODEL_COLUMNS],
});
