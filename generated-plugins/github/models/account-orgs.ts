import { defineModel, type NoPkModelRow } from 'devlake-ts';
import { NO_PK_MODEL_COLUMNS } from './common';

/** `_tool_github_account_orgs`: DevLake's models.GithubAccountOrg (backend/plugins/github/models/account_org.go). */
export interface GithubAccountOrgRow extends NoPkModelRow {
  connection_id: number;
  account_id: number;
  org_id: number;
  org_login?: string | null;
}

export const GithubAccountOrg = defineModel<GithubAccountOrgRow>({
  table: '_tool_github_account_orgs',
  primaryKey: ['connection_id', 'account_id', 'org_id'],
  columns: ['connection_id', 'account_id', 'org_id', 'org_login', ...NO_PK_MODEL_COLUMNS],
});
