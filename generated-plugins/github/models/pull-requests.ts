import { defineModel, type NoPkModelRow } from 'devlake-ts';
import { NO_PK_MODEL_COLUMNS } from './common';

/** `_tool_github_pull_requests`: DevLake's models.GithubPullRequest (backend/plugins/github/models/pr.go). */
export interface GithubPullRequestRow extends NoPkModelRow {
  connection_id: number;
  github_id: number;
  repo_id?: number;
  head_repo_id?: number;
  number?: number;
  state?: string | null;
  title?: string | null;
  github_created_at?: Date | string | null;
  github_updated_at?: Date | string | null;
  closed_at?: Date | string | null;
  additions?: number;
  deletions?: number;
  comments?: number;
  commits?: number;
  review_comments?: number;
  is_draft?: boolean;
  merged?: boolean;
  merged_at?: Date | string | null;
  body?: string | null;
  type?: string | null;
  component?: string | null;
  merge_commit_sha?: string | null;
  head_ref?: string | null;
  base_ref?: string | null;
  base_commit_sha?: string | null;
  head_commit_sha?: string | null;
  url?: string | null;
  author_name?: string | null;
  author_id?: number;
  merged_by_name?: string | null;
  merged_by_id?: number;
}

export const GithubPullRequest = defineModel<GithubPullRequestRow>({
  table: '_tool_github_pull_requests',
  primaryKey: ['connection_id', 'github_id'],
  columns: ['connection_id', 'github_id', 'repo_id', 'head_repo_id', 'number', 'state', 'title', 'github_created_at', 'github_updated_at', 'closed_at', 'additions', 'deletions', 'comments', 'commits', 'review_comments', 'is_draft', 'merged', 'merged_at', 'body', 'type', 'component', 'merge_commit_sha', 'head_ref', 'base_ref', 'base_commit_sha', 'head_commit_sha', 'url', 'author_name', 'author_id', 'merged_by_name', 'merged_by_id', ...NO_PK_MODEL_COLUMNS],
});
