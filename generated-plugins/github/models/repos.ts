import { defineModel } from 'devlake-ts';

/** `_tool_github_repos`: DevLake's models.GithubRepo (backend/plugins/github/models/repo.go). */
export interface GithubRepoRow {
  created_at?: Date | string | null;
  updated_at?: Date | string | null;
  _raw_data_params?: string;
  _raw_data_table?: string;
  _raw_data_id?: number;
  _raw_data_remark?: string | null;
  connection_id: number;
  scope_config_id?: number;
  github_id: number;
  name?: string | null;
  full_name?: string | null;
  html_url?: string | null;
  description?: string | null;
  owner_id?: number;
  language?: string | null;
  parent_github_id?: number;
  parent_html_url?: string | null;
  clone_url?: string | null;
  created_date?: Date | string | null;
  updated_date?: Date | string | null;
}

export const GithubRepo = defineModel<GithubRepoRow>({
  table: '_tool_github_repos',
  primaryKey: ['connection_id', 'github_id'],
  columns: ['created_at', 'updated_at', '_raw_data_params', '_raw_data_table', '_raw_data_id', '_raw_data_remark', 'connection_id', 'scope_config_id', 'github_id', 'name', 'full_name', 'html_url', 'description', 'owner_id', 'language', 'parent_github_id', 'parent_html_url', 'clone_url', 'created_date', 'updated_date'],
});
