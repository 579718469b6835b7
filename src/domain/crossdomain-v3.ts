import { COMMON, type DomainTableSpec, type NoPkModelRow, modelOf } from './table-spec';

/**
 * DevLake's `crossdomain` domain tables added by the third domain migration
 * (backend/core/models/domainlayer/crossdomain), columns, keys and types as of
 * DevLake commit 420e494b (../shared/devlake-schema/domain.json).
 */

type Time = Date | string | null;

/** `project_incident_deployment_relationships` (crossdomain.ProjectIncidentDeploymentRelationship, crossdomain/project_incident_deployment_relationship.go). */
export interface ProjectIncidentDeploymentRelationshipRow extends NoPkModelRow {
  id: string;
  project_name: string;
  deployment_id?: string | null;
}

/** `project_pr_metrics` (crossdomain.ProjectPrMetric, crossdomain/project_pr_metric.go). */
export interface ProjectPrMetricRow extends NoPkModelRow {
  id: string;
  project_name: string;
  first_commit_sha?: string | null;
  pr_coding_time?: number | null;
  first_review_id?: string | null;
  pr_pickup_time?: number | null;
  pr_review_time?: number | null;
  deployment_commit_id?: string | null;
  pr_deploy_time?: number | null;
  pr_cycle_time?: number | null;
  first_commit_authored_date?: Time;
  first_comment_date?: Time;
  pr_created_date?: Time;
  pr_merged_date?: Time;
  pr_deployed_date?: Time;
}

/** `refs_issues_diffs` (crossdomain.RefsIssuesDiffs, crossdomain/refs_issues_diff.go). */
export interface RefsIssuesDiffsRow extends NoPkModelRow {
  new_ref_id: string;
  old_ref_id: string;
  new_ref_commit_sha?: string | null;
  old_ref_commit_sha?: string | null;
  issue_number?: string | null;
  issue_id: string;
}

/** `crossdomain` tables of the third domain migration. */
export const crossdomainTablesV3: DomainTableSpec[] = [
  {
    table: 'project_incident_deployment_relationships',
    goModel: 'crossdomain.ProjectIncidentDeploymentRelationship',
    primaryKey: ['id', 'project_name'],
    columns: [['id', 's255'], COMMON, ['project_name', 's100'], ['deployment_id', 'text']],
  },
  {
    table: 'project_pr_metrics',
    goModel: 'crossdomain.ProjectPrMetric',
    primaryKey: ['id', 'project_name'],
    columns: [['id', 's255'], COMMON, ['project_name', 's100'], ['first_commit_sha', 'text'], ['pr_coding_time', 'int'], ['first_review_id', 'text'], ['pr_pickup_time', 'int'], ['pr_review_time', 'int'], ['deployment_commit_id', 'text'], ['pr_deploy_time', 'int'], ['pr_cycle_time', 'int'], ['first_commit_authored_date', 'time'], ['first_comment_date', 'time'], ['pr_created_date', 'time'], ['pr_merged_date', 'time'], ['pr_deployed_date', 'time']],
  },
  {
    table: 'refs_issues_diffs',
    goModel: 'crossdomain.RefsIssuesDiffs',
    primaryKey: ['new_ref_id', 'old_ref_id', 'issue_id'],
    columns: [['new_ref_id', 's255'], ['old_ref_id', 's255'], ['new_ref_commit_sha', 's40'], ['old_ref_commit_sha', 's40'], ['issue_number', 's255'], ['issue_id', 's255'], COMMON],
  },
];

const spec = (table: string) => crossdomainTablesV3.find((t) => t.table === table)!;
export const ProjectIncidentDeploymentRelationship = modelOf<ProjectIncidentDeploymentRelationshipRow>(spec('project_incident_deployment_relationships'));
export const ProjectPrMetric = modelOf<ProjectPrMetricRow>(spec('project_pr_metrics'));
export const RefsIssuesDiffs = modelOf<RefsIssuesDiffsRow>(spec('refs_issues_diffs'));
