import { defineModel, type NoPkModelRow } from 'devlake-ts';
import { NO_PK_MODEL_COLUMNS } from './common';

/** `_tool_github_commit_stats`: DevLake's models.GithubCommitStat (backend/plugins/github/models/commit_stat.go). */
export interface GithubCommitStatRow extends NoPkModelRow {
  connection_id: number;
  sha: string;
  additions?: number;
  deletions?: number;
  committed_date?: Date | string | null;
}

export const GithubCommitStat = defineModel<GithubCommitStatRow>({
  table: '_tool_github_commit_stats',
  primaryKey: ['connection_id', 'sha'],
  columns: ['connection_id', 'sha', 'additions', 'deletions', 'committed_date', ...NO_PK_MODEL_COLUMNS],
});
