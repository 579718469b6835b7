import { defineModel } from 'devlake-ts';

/** `_tool_github_accounts`: DevLake's models.GithubAccount (backend/plugins/github/models/account.go). */
export interface GithubAccountRow {
  connection_id: number;
  id: number;
  login?: string | null;
  name?: string | null;
  company?: string | null;
  email?: string | null;
  avatar_url?: string | null;
  url?: string | null;
  html_url?: string | null;
  type?: string | null;
  created_at?: Date | string | null;
  updated_at?: Date | string | null;
  _raw_data_params?: string;
  _raw_data_table?: string;
  _raw_data_id?: number;
  _raw_data_remark?: string | null;
}

export const GithubAccount = defineModel<GithubAccountRow>({
  table: '_tool_github_accounts',
  primaryKey: ['connection_id', 'id'],
  columns: ['connection_id', 'id', 'login', 'name', 'company', 'email', 'avatar_url', 'url', 'html_url', 'type', 'created_at', 'updated_at', '_raw_data_params', '_raw_data_table', '_raw_data_id', '_raw_data_remark'],
});
