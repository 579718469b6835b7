import { defineModel, type NoPkModelRow } from 'devlake-ts';
import { NO_PK_MODEL_COLUMNS } from './common';

/** `_tool_github_commits`: DevLake's models.GithubCommit (backend/plugins/github/models/commit.go). */
export interface GithubCommitRow extends NoPkModelRow {
  sha: string;
  author_id?: number;
  author_name?: string | null;
  author_email?: string | null;
  authored_date?: Date | string | null;
  committer_id?: number;
  committer_name?: string | null;
  committer_email?: string | null;
  committed_date?: Date | string | null;
  message?: string | null;
  url?: string | null;
  additions?: number;
  deletions?: number;
}

export const GithubCommit = defineModel<GithubCommitRow>({
  table: '_tool_github_commits',
  primaryKey: ['sha'],
  columns: ['sha', 'author_id', 'author_name', 'author_email', 'authored_date', 'committer_id', 'committer_name', 'committer_email', 'committed_date', 'message', 'url', 'additions', 'deletions', ...NO_PK_MODEL_COLUMNS],
});
