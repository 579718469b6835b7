import { defineModel, type NoPkModelRow } from 'devlake-ts';
import { NO_PK_MODEL_COLUMNS } from './common';

/** `_tool_github_milestones`: DevLake's models.GithubMilestone (backend/plugins/github/models/milestone.go). */
export interface GithubMilestoneRow extends NoPkModelRow {
  connection_id: number;
  milestone_id: number;
  repo_id?: number;
  number?: number;
  url?: string | null;
  title?: string | null;
  open_issues?: number;
  closed_issues?: number;
  state?: string | null;
  github_created_at?: Date | string | null;
  github_updated_at?: Date | string | null;
  closed_at?: Date | string | null;
}

export const GithubMilestone = defineModel<GithubMilestoneRow>({
  table: '_tool_github_milestones',
  primaryKey: ['connection_id', 'milestone_id'],
  columns: ['connection_id', 'milestone_id', 'repo_id', 'number', 'url', 'title', 'open_issues', 'closed_issues', 'state', 'github_created_at', 'github_updated_at', 'closed_at', ...NO_PK_MODEL_COLUMNS],
});
