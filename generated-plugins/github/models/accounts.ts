import { defineModel, type NoPkModelRow } from 'devlake-ts';
import { NO_PK_MODEL_COLUMNS } from './common';

/** `_tool_github_accounts`: DevLake's models.GithubAccount (backend/plugins/github/models/account.go). */
export interface GithubAccountRow extends NoPkModelRow {
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
}

export const GithubAccount = defineModel<GithubAccountRow>({
  table: '_tool_github_accounts',
  primaryKey: ['connection_id', 'id'],
  columns: ['connection_id', 'id', 'login', 'name', 'company', 'email', 'avatar_url', 'url', 'html_url', 'type', ...NO_PK_MODEL_COLUMNS],
});
