import { defineModel } from 'devlake-ts';

/** `_tool_github_commit_stats`: DevLake's models.GithubCommitStat (backend/plugins/github/models/commit_stat.go). */
export interface GithubCommitStatRow {
  connection_id: number;
  sha: string;
  additions?: number;
  deletions?: number;
  committed_date?: Date | string | null;
  _raw_data_params?: string;
  _raw_data_table?: string;
  _raw_data_id?: number;
  _raw_data_remark?: string | null;
}

export const GithubCommitStat = defineModel<GithubCommitStatRow>({
  table: '_tool_github_commit_stats',
  primaryKey: ['connection_id', 'sha'],
  columns: ['connection_id', 'sha', 'additions', 'deletions', 'committed_date', 'created_at', 'updated_at', '_raw_data_params', '_raw_data_table', '_raw_data_id', '_raw_data_remark'],
});
