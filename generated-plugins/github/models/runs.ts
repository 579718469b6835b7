import { defineModel, type NoPkModelRow } from 'devlake-ts';
import { NO_PK_MODEL_COLUMNS } from './common';

/** `_tool_github_runs`: DevLake's models.GithubRun (backend/plugins/github/models/run.go). */
export interface GithubRunRow extends NoPkModelRow {
  connection_id: number;
  repo_id: number;
  id: number;
  name?: string | null;
  node_id?: string | null;
  head_branch?: string | null;
  head_sha?: string | null;
  path?: string | null;
  run_number?: number;
  event?: string | null;
  status?: string | null;
  conclusion?: string | null;
  workflow_id?: number;
  check_suite_id?: number;
  check_suite_node_id?: string | null;
  display_title?: string | null;
  url?: string | null;
  html_url?: string | null;
  github_created_at?: Date | string | null;
  github_updated_at?: Date | string | null;
  run_attempt?: number;
  run_started_at?: Date | string | null;
  jobs_url?: string | null;
  logs_url?: string | null;
  check_suite_url?: string | null;
  artifacts_url?: string | null;
  cancel_url?: string | null;
  rerun_url?: string | null;
  workflow_url?: string | null;
  type?: string | null;
  environment?: string | null;
}

export const GithubRun = defineModel<GithubRunRow>({
  table: '_tool_github_runs',
  primaryKey: ['connection_id', 'repo_id', 'id'],
  columns: [...NO_PK_MODEL_COLUMNS, 'connection_id', 'repo_id', 'id', 'name', 'node_id', 'head_branch', 'head_sha', 'path', 'run_number', 'event', 'status', 'conclusion', 'workflow_id', 'check_suite_id', 'check_suite_node_id', 'display_title', 'url', 'html_url', 'github_created_at', 'github_updated_at', 'run_attempt', 'run_started_at', 'jobs_url', 'logs_url', 'check_suite_url', 'artifacts_url', 'cancel_url', 'rerun_url', 'workflow_url', 'type', 'environment'],
});
