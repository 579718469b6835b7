import { defineModel, type NoPkModelRow } from 'devlake-ts';
import { NO_PK_MODEL_COLUMNS } from './common';

/** `_tool_github_repos`: DevLake's models.GithubRepo (backend/plugins/github/models/repo.go). */
export interface GithubRepoRow extends NoPkModelRow {
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
  columns: [...NO_PK_MODEL_COLUMNS, 'connection_id', 'scope_config_id', 'github_id', 'name', 'full_name', 'html_url', 'description', 'owner_id', 'language', 'parent_github_id', 'parent_html_url', 'clone_url', 'created_date', 'updated_date'],
});
