import { defineModel } from 'devlake-ts';

/** `_tool_github_commits`: DevLake's models.GithubCommit (backend/plugins/github/models/commit.go). */
export interface GithubCommitRow {
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
  created_at?: Date | string | null;
  updated_at?: Date | string | null;
  _raw_data_params?: string;
  _raw_data_table?: string;
  _raw_data_id?: number;
  _raw_data_remark?: string | null;
}

export const GithubCommit = defineModel<GithubCommitRow>({
  table: '_tool_github_commits',
  primaryKey: ['sha'],
  columns: ['sha', 'author_id', 'author_name', 'author_email', 'authored_date', 'committer_id', 'committer_name', 'committer_email', 'committed_date', 'message', 'url', 'additions', 'deletions', 'created_at', 'updated_at', '_raw_data_params', '_raw_data_table', '_raw_data_id', '_raw_data_remark'],
});
