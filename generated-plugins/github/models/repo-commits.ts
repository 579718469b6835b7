import { defineModel } from 'devlake-ts';

/** `_tool_github_repo_commits`: DevLake's models.GithubRepoCommit (backend/plugins/github/models/repo_commit.go). */
export interface GithubRepoCommitRow {
  connection_id: number;
  repo_id: number;
  commit_sha: string;
  created_at?: Date | string | null;
  updated_at?: Date | string | null;
  _raw_data_params?: string;
  _raw_data_table?: string;
  _raw_data_id?: number;
  _raw_data_remark?: string | null;
}

export const GithubRepoCommit = defineModel<GithubRepoCommitRow>({
  table: '_tool_github_repo_commits',
  primaryKey: ['connection_id', 'repo_id', 'commit_sha'],
  columns: ['connection_id', 'repo_id', 'commit_sha', 'created_at', 'updated_at', '_raw_data_params', '_raw_data_table', '_raw_data_id', '_raw_data_remark'],
});
