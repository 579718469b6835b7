import { defineModel, type NoPkModelRow } from 'devlake-ts';
import { NO_PK_MODEL_COLUMNS } from './common';

/** `_tool_github_jobs`: DevLake's models.GithubJob (backend/plugins/github/models/job.go). */
export interface GithubJobRow extends NoPkModelRow {
  connection_id: number;
  repo_id: number;
  id: number;
  run_id?: number;
  run_url?: string | null;
  node_id?: string | null;
  head_sha?: string | null;
  url?: string | null;
  html_url?: string | null;
  status?: string | null;
  conclusion?: string | null;
  started_at?: Date | string | null;
  completed_at?: Date | string | null;
  name?: string | null;
  steps?: string | null;
  check_run_url?: string | null;
  labels?: string | null;
  runner_id?: number;
  runner_name?: string | null;
  runner_group_id?: number;
  type?: string | null;
  environment?: string | null;
}

export const GithubJob = defineModel<GithubJobRow>({
  table: '_tool_github_jobs',
  primaryKey: ['connection_id', 'repo_id', 'id'],
  columns: [...NO_PK_MODEL_COLUMNS, 'connection_id', 'repo_id', 'id', 'run_id', 'run_url', 'node_id', 'head_sha', 'url', 'html_url', 'status', 'conclusion', 'started_at', 'completed_at', 'name', 'steps', 'check_run_url', 'labels', 'runner_id', 'runner_name', 'runner_group_id', 'type', 'environment'],
});
