import { COMMON, modelOf, type DomainEntityRow, type DomainTableSpec, type NoPkModelRow } from './table-spec';

/**
 * DevLake's `devops` domain (backend/core/models/domainlayer/devops), columns as
 * of DevLake commit 420e494b (checked against its e2e snapshot headers).
 */

type Time = Date | string | null;

/** When a pipeline, task or deployment was created, queued, started and finished (DevLake's ItemDateInfo). */
export interface ItemDateInfo {
  created_date?: Time;
  queued_date?: Time;
  started_date?: Time;
  finished_date?: Time;
}

export interface CicdScopeRow extends DomainEntityRow {
  name?: string | null;
  description?: string | null;
  url?: string | null;
  created_date?: Time;
  updated_date?: Time;
}

export interface CicdPipelineRow extends DomainEntityRow, ItemDateInfo {
  name?: string | null;
  display_title?: string | null;
  url?: string | null;
  /** SUCCESS, FAILURE, ABORT, MANUAL. */
  result?: string | null;
  /** IN_PROGRESS, DONE, OTHER. */
  status?: string | null;
  original_status?: string | null;
  original_result?: string | null;
  /** CI or CD (DEPLOYMENT). */
  type?: string | null;
  duration_sec?: number | null;
  queued_duration_sec?: number | null;
  environment?: string | null;
  cicd_scope_id?: string | null;
  is_child?: boolean | null;
}

export interface CicdPipelineCommitRow extends NoPkModelRow {
  pipeline_id: string;
  commit_sha: string;
  commit_msg?: string | null;
  display_title?: string | null;
  url?: string | null;
  branch?: string | null;
  repo_id?: string | null;
  repo_url?: string | null;
}

export interface CicdTaskRow extends DomainEntityRow, ItemDateInfo {
  name?: string | null;
  pipeline_id?: string | null;
  result?: string | null;
  status?: string | null;
  original_status?: string | null;
  original_result?: string | null;
  type?: string | null;
  environment?: string | null;
  duration_sec?: number | null;
  queued_duration_sec?: number | null;
  cicd_scope_id?: string | null;
}

export interface CicdDeploymentCommitRow extends DomainEntityRow, ItemDateInfo {
  commit_sha: string;
  cicd_scope_id?: string | null;
  cicd_deployment_id?: string | null;
  name?: string | null;
  result?: string | null;
  status?: string | null;
  original_status?: string | null;
  original_result?: string | null;
  environment?: string | null;
  original_environment?: string | null;
  duration_sec?: number | null;
  queued_duration_sec?: number | null;
  commit_msg?: string | null;
  ref_name?: string | null;
  repo_id?: string | null;
  repo_url?: string | null;
  prev_success_deployment_commit_id?: string | null;
  subtask_name?: string | null;
  display_title?: string | null;
  url?: string | null;
}

const dates = [['created_date', 'time'], ['queued_date', 'time'], ['started_date', 'time'], ['finished_date', 'time']] as const;

export const devopsTables: DomainTableSpec[] = [
  {
    table: 'cicd_scopes',
    goModel: 'devops.CicdScope',
    primaryKey: ['id'],
    columns: [['id', 's255'], COMMON, ['name', 's255'], ['description', 'text'], ['url', 's255'], ['created_date', 'time'], ['updated_date', 'time']],
  },
  {
    table: 'cicd_pipelines',
    goModel: 'devops.CICDPipeline',
    primaryKey: ['id'],
    columns: [
      ['id', 's255'], COMMON, ['name', 's255'], ['display_title', 'text'], ['url', 's255'], ['result', 's100'], ['status', 's100'], ['original_status', 's100'], ['original_result', 's100'],
      ['type', 's100'], ['duration_sec', 'float'], ['queued_duration_sec', 'float'], ['environment', 's255'], ...dates, ['cicd_scope_id', 's255'], ['is_child', 'bool'],
    ],
    indexes: ['cicd_scope_id'],
  },
  {
    table: 'cicd_pipeline_commits',
    goModel: 'devops.CiCDPipelineCommit',
    primaryKey: ['pipeline_id', 'commit_sha'],
    columns: [COMMON, ['pipeline_id', 's255'], ['commit_sha', 's255'], ['commit_msg', 'text'], ['display_title', 'text'], ['url', 's255'], ['branch', 's255'], ['repo_id', 's255'], ['repo_url', 'text']],
    indexes: ['repo_id'],
  },
  {
    table: 'cicd_tasks',
    goModel: 'devops.CICDTask',
    primaryKey: ['id'],
    columns: [
      ['id', 's255'], COMMON, ['name', 's255'], ['pipeline_id', 's255'], ['result', 's100'], ['status', 's100'], ['original_status', 's100'], ['original_result', 's100'], ['type', 's100'],
      ['environment', 's255'], ['duration_sec', 'float'], ['queued_duration_sec', 'float'], ...dates, ['cicd_scope_id', 's255'],
    ],
    indexes: ['pipeline_id', 'cicd_scope_id'],
  },
  {
    table: 'cicd_deployment_commits',
    goModel: 'devops.CicdDeploymentCommit',
    primaryKey: ['id', 'commit_sha'],
    columns: [
      ['id', 's255'], COMMON, ['cicd_scope_id', 's255'], ['cicd_deployment_id', 's255'], ['name', 's255'], ['result', 's100'], ['status', 's100'], ['original_status', 's100'],
      ['original_result', 's100'], ['environment', 's255'], ['original_environment', 's255'], ...dates, ['duration_sec', 'float'], ['queued_duration_sec', 'float'], ['commit_sha', 's255'],
      ['commit_msg', 'text'], ['ref_name', 's255'], ['repo_id', 's255'], ['repo_url', 's255'], ['prev_success_deployment_commit_id', 's255'], ['subtask_name', 's255'],
      ['display_title', 'text'], ['url', 's255'],
    ],
    indexes: ['cicd_scope_id', 'repo_url'],
  },
];

const spec = (table: string) => devopsTables.find((t) => t.table === table)!;
export const CicdScope = modelOf<CicdScopeRow>(spec('cicd_scopes'));
export const CicdPipeline = modelOf<CicdPipelineRow>(spec('cicd_pipelines'));
export const CicdPipelineCommit = modelOf<CicdPipelineCommitRow>(spec('cicd_pipeline_commits'));
export const CicdTask = modelOf<CicdTaskRow>(spec('cicd_tasks'));
export const CicdDeploymentCommit = modelOf<CicdDeploymentCommitRow>(spec('cicd_deployment_commits'));
