import { defineModel, type NoPkModelRow } from 'devlake-ts';
import { NO_PK_MODEL_COLUMNS } from './common';

/** `_tool_github_pull_request_commits`: DevLake's models.GithubPrCommit (backend/plugins/github/models/pr_commit.go). */
export interface GithubPrCommitRow extends NoPkModelRow {
  connection_id: number;
  commit_sha: string;
  pull_request_id: number;
  commit_author_name?: string | null;
  commit_author_email?: string | null;
  commit_authored_date?: Date | string | null;
}

export const GithubPrCommit = defineModel<GithubPrCommitRow>({
  table: '_tool_github_pull_request_commits',
  primaryKey: ['connection_id', 'commit_sha', 'pull_request_id'],
  columns: ['connection_id', 'commit_sha', 'pull_request_id', 'commit_author_name', 'commit_author_email', 'commit_authored_date', ...NO_PK_MODEL_COLUMNS],
});
