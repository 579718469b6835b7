import { defineModel, type NoPkModelRow } from 'devlake-ts';
import { NO_PK_MODEL_COLUMNS } from './common';

/** `_tool_github_issue_events`: DevLake's models.GithubIssueEvent (backend/plugins/github/models/issue_event.go). */
export interface GithubIssueEventRow extends NoPkModelRow {
  connection_id: number;
  github_id: number;
  issue_id?: number;
  type?: string | null;
  author_username?: string | null;
  github_created_at?: Date | string | null;
}

export const GithubIssueEvent = defineModel<GithubIssueEventRow>({
  table: '_tool_github_issue_events',
  primaryKey: ['connection_id', 'github_id'],
  columns: ['connection_id', 'github_id', 'issue_id', 'type', 'author_username', 'github_created_at', ...NO_PK_MODEL_COLUMNS],
});
