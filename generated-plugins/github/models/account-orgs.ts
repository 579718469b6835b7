import { defineModel } from 'devlake-ts';

/** `_tool_github_account_orgs`: DevLake's models.GithubAccountOrg (backend/plugins/github/models/account_org.go). */
export interface GithubAccountOrgRow {
  connection_id: number;
  account_id: number;
  org_id: number;
  org_login?: string | null;
  created_at?: Date | string | null;
  updated_at?: Date | string | null;
  _raw_data_params?: string;
  _raw_data_table?: string;
  _raw_data_id?: number;
  _raw_data_remark?: string | null;
}

export const GithubAccountOrg = defineModel<GithubAccountOrgRow>({
  table: '_tool_github_account_orgs',
  primaryKey: ['connection_id', 'account_id', 'org_id'],
  columns: ['connection_id', 'account_id', 'org_id', 'org_login', 'created_at', 'updated_at', '_raw_data_params', '_raw_data_table', '_raw_data_id', '_raw_data_remark'],
});
