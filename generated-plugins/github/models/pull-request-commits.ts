import { defineModel } from 'devlake-ts';

/** `_tool_github_pull_request_commits`: DevLake's models.GithubPrCommit (backend/plugins/github/models/pr_commit.go). */
export interface GithubPrCommitRow {
  connection_id: number;
  commit_sha: string;
  pull_request_id: number;
  commit_author_name?: string | null;
  commit_author_email?: string | null;
  commit_authored_date?: Date | string | null;
  created_at?: Date | string | null;
  updated_at?: Date | string | null;
  _raw_data_params?: string;
  _raw_data_table?: string;
  _raw_data_id?: number;
  _raw_data_remark?: string | null;
}

export const GithubPrCommit = defineModel<GithubPrCommitRow>({
  table: '_tool_github_pull_request_commits',
  primaryKey: ['connection_id', 'commit_sha', 'pull_request_id'],
  columns: ['connection_id', 'commit_sha', 'pull_request_id', 'commit_author_name', 'commit_author_email', 'commit_authored_date', 'created_at', 'updated_at', '_raw_data_params', '_raw_data_table', '_raw_data_id', '_raw_data_remark'],
});
