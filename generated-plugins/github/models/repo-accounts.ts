import { defineModel } from 'devlake-ts';

/** `_tool_github_repo_accounts`: DevLake's models.GithubRepoAccount (backend/plugins/github/models/repo_account.go). */
export interface GithubRepoAccountRow {
  connection_id: number;
  account_id: number;
  repo_github_id: number;
  login?: string | null;
  created_at?: Date | string | null;
  updated_at?: Date | string | null;
  _raw_data_params?: string;
  _raw_data_table?: string;
  _raw_data_id?: number;
  _raw_data_remark?: string | null;
}

export const GithubRepoAccount = defineModel<GithubRepoAccountRow>({
  table: '_tool_github_repo_accounts',
  primaryKey: ['connection_id', 'account_id', 'repo_github_id'],
  columns: ['connection_id', 'account_id', 'repo_github_id', 'login', 'created_at', 'updated_at', '_raw_data_params', '_raw_data_table', '_raw_data_id', '_raw_data_remark'],
});
