import { defineModel, type NoPkModelRow } from 'devlake-ts';
import { NO_PK_MODEL_COLUMNS } from './common';

/** `_tool_github_repo_accounts`: DevLake's models.GithubRepoAccount (backend/plugins/github/models/repo_account.go). */
export interface GithubRepoAccountRow extends NoPkModelRow {
  connection_id: number;
  account_id: number;
  repo_github_id: number;
  login?: string | null;
}

export const GithubRepoAccount = defineModel<GithubRepoAccountRow>({
  table: '_tool_github_repo_accounts',
  primaryKey: ['connection_id', 'account_id', 'repo_github_id'],
  columns: ['connection_id', 'account_id', 'repo_github_id', 'login', ...NO_PK_MODEL_COLUMNS],
});
