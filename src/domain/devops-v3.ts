import { COMMON, type DomainEntityRow, type DomainTableSpec, modelOf } from './table-spec';

/**
 * DevLake's `devops` domain tables added by the third domain migration
 * (backend/core/models/domainlayer/devops), columns, keys and types as of
 * DevLake commit 420e494b (../shared/devlake-schema/domain.json).
 */

type Time = Date | string | null;

/** `cicd_deployments` (devops.CICDDeployment, devops/cicd_deployment.go). */
export interface CICDDeploymentRow extends DomainEntityRow {
  cicd_scope_id?: string | null;
  name?: string | null;
  display_title?: string | null;
  url?: string | null;
  result?: string | null;
  status?: string | null;
  original_status?: string | null;
  original_result?: string | null;
  environment?: string | null;
  original_environment?: string | null;
  created_date?: Time;
  queued_date?: Time;
  started_date?: Time;
  finished_date?: Time;
  duration_sec?: number | null;
  queued_duration_sec?: number | null;
  subtask_name?: string | null;
}

/** `cicd_releases` (devops.CicdRelease, devops/cicd_release.go). */
export interface CicdReleaseRow extends DomainEntityRow {
  published_at?: Time;
  cicd_scope_id?: string | null;
  name?: string | null;
  display_title?: string | null;
  description?: string | null;
  url?: string | null;
  is_draft?: boolean | null;
  is_latest?: boolean | null;
  is_prerelease?: boolean | null;
  author_id?: string | null;
  repo_id?: string | null;
  tag_name?: string | null;
  commit_sha?: string | null;
}

/** `devops` tables of the third domain migration. */
export const devopsTablesV3: DomainTableSpec[] = [
  {
    table: 'cicd_deployments',
    goModel: 'devops.CICDDeployment',
    primaryKey: ['id'],
    columns: [['id', 's255'], COMMON, ['cicd_scope_id', 's255'], ['name', 'text'], ['display_title', 'text'], ['url', 'text'], ['result', 's100'], ['status', 's100'], ['original_status', 's100'], ['original_result', 's100'], ['environment', 's255'], ['original_environment', 's255'], ['created_date', 'time'], ['queued_date', 'time'], ['started_date', 'time'], ['finished_date', 'time'], ['duration_sec', 'float'], ['queued_duration_sec', 'float'], ['subtask_name', 's255']],
  },
  {
    table: 'cicd_releases',
    goModel: 'devops.CicdRelease',
    primaryKey: ['id'],
    columns: [['id', 's255'], COMMON, ['published_at', 'time'], ['cicd_scope_id', 's255'], ['name', 's255'], ['display_title', 's255'], ['description', 'text'], ['url', 'text'], ['is_draft', 'bool'], ['is_latest', 'bool'], ['is_prerelease', 'bool'], ['author_id', 's255'], ['repo_id', 's255'], ['tag_name', 'text'], ['commit_sha', 's255']],
  },
];

const spec = (table: string) => devopsTablesV3.find((t) => t.table === table)!;
export const CICDDeployment = modelOf<CICDDeploymentRow>(spec('cicd_deployments'));
export const CicdRelease = modelOf<CicdReleaseRow>(spec('cicd_releases'));
