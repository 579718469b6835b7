import { defineModel, type NoPkModelRow } from 'devlake-ts';
import { NO_PK_MODEL_COLUMNS } from './common';

/** `_tool_github_repo_commits`: DevLake's models.GithubRepoCommit (backend/plugins/github/models/repo_commit.go). */
export interface GithubRepoCommitRow extends NoPkModelRow {
  connection_id: number;
  repo_id: number;
  commit_sha: string;
}

export const GithubRepoCommit = defineModel<GithubRepoCommitRow>({
  table: '_tool_github_repo_commits',
  primaryKey: ['connection_id', 'repo_id', 'commit_sha'],
  columns: ['connection_id', 'repo_id', 'commit_sha', ...NO_PK_MODEL_COLUMNS],
});
