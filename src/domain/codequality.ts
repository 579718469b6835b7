import { COMMON, type DomainEntityRow, type DomainTableSpec, type NoPkModelRow, modelOf } from './table-spec';

/**
 * DevLake's `codequality` domain tables added by the third domain migration
 * (backend/core/models/domainlayer/codequality), columns, keys and types as of
 * DevLake commit 420e494b (../shared/devlake-schema/domain.json).
 */

type Time = Date | string | null;

/** `cq_file_metrics` (codequality.CqFileMetrics, codequality/cq_file_metrics.go). */
export interface CqFileMetricsRow extends DomainEntityRow {
  project_key?: string | null;
  file_name?: string | null;
  file_path?: string | null;
  file_language?: string | null;
  code_smells?: number | null;
  sqale_index?: number | null;
  sqale_rating?: number | null;
  bugs?: number | null;
  reliability_rating?: string | null;
  vulnerabilities?: number | null;
  security_rating?: string | null;
  security_hotspots?: number | null;
  security_hotspots_reviewed?: number | null;
  security_review_rating?: string | null;
  ncloc?: number | null;
  uncovered_lines?: number | null;
  coverage?: number | null;
  lines_to_cover?: number | null;
  duplicated_lines_density?: number | null;
  duplicated_blocks?: number | null;
  duplicated_files?: number | null;
  duplicated_lines?: number | null;
  effort_to_reach_maintainability_rating_a?: number | null;
  complexity?: number | null;
  cognitive_complexity?: number | null;
  num_of_lines?: number | null;
}

/** `cq_issue_code_blocks` (codequality.CqIssueCodeBlock, codequality/cq_issue_code_blocks.go). */
export interface CqIssueCodeBlockRow extends DomainEntityRow {
  issue_key?: string | null;
  component?: string | null;
  start_line?: number | null;
  end_line?: number | null;
  start_offset?: number | null;
  end_offset?: number | null;
  msg?: string | null;
}

/** `cq_issue_impacts` (codequality.CqIssueImpact, codequality/cq_issues.go). */
export interface CqIssueImpactRow extends NoPkModelRow {
  cq_issue_id: string;
  software_quality: string;
  severity?: string | null;
}

/** `cq_issues` (codequality.CqIssue, codequality/cq_issues.go). */
export interface CqIssueRow extends DomainEntityRow {
  rule?: string | null;
  severity?: string | null;
  component?: string | null;
  project_key?: string | null;
  line?: number | null;
  status?: string | null;
  message?: string | null;
  debt?: number | null;
  effort?: number | null;
  commit_author_email?: string | null;
  assignee?: string | null;
  hash?: string | null;
  tags?: string | null;
  type?: string | null;
  scope?: string | null;
  start_line?: number | null;
  end_line?: number | null;
  start_offset?: number | null;
  end_offset?: number | null;
  vulnerability_probability?: string | null;
  security_category?: string | null;
  created_date?: Time;
  updated_date?: Time;
}

/** `cq_projects` (codequality.CqProject, codequality/cq_projects.go). */
export interface CqProjectRow extends DomainEntityRow {
  name?: string | null;
  qualifier?: string | null;
  visibility?: string | null;
  last_analysis_date?: Time;
  commit_sha?: string | null;
}

/** `codequality` tables of the third domain migration. */
export const codeQualityTables: DomainTableSpec[] = [
  {
    table: 'cq_file_metrics',
    goModel: 'codequality.CqFileMetrics',
    primaryKey: ['id'],
    columns: [['id', 's255'], COMMON, ['project_key', 's500'], ['file_name', 's2000'], ['file_path', 'text'], ['file_language', 's20'], ['code_smells', 'int'], ['sqale_index', 'int'], ['sqale_rating', 'float'], ['bugs', 'int'], ['reliability_rating', 's20'], ['vulnerabilities', 'int'], ['security_rating', 's20'], ['security_hotspots', 'int'], ['security_hotspots_reviewed', 'float'], ['security_review_rating', 's20'], ['ncloc', 'int'], ['uncovered_lines', 'int'], ['coverage', 'float'], ['lines_to_cover', 'int'], ['duplicated_lines_density', 'float'], ['duplicated_blocks', 'int'], ['duplicated_files', 'int'], ['duplicated_lines', 'int'], ['effort_to_reach_maintainability_rating_a', 'int'], ['complexity', 'int'], ['cognitive_complexity', 'int'], ['num_of_lines', 'int']],
  },
  {
    table: 'cq_issue_code_blocks',
    goModel: 'codequality.CqIssueCodeBlock',
    primaryKey: ['id'],
    columns: [['id', 's255'], COMMON, ['issue_key', 's191'], ['component', 's191'], ['start_line', 'int'], ['end_line', 'int'], ['start_offset', 'int'], ['end_offset', 'int'], ['msg', 'text']],
  },
  {
    table: 'cq_issue_impacts',
    goModel: 'codequality.CqIssueImpact',
    primaryKey: ['cq_issue_id', 'software_quality'],
    columns: [COMMON, ['cq_issue_id', 's255'], ['software_quality', 's255'], ['severity', 's100']],
  },
  {
    table: 'cq_issues',
    goModel: 'codequality.CqIssue',
    primaryKey: ['id'],
    columns: [['id', 's255'], COMMON, ['rule', 's255'], ['severity', 's100'], ['component', 'text'], ['project_key', 's500'], ['line', 'int'], ['status', 's20'], ['message', 'text'], ['debt', 'int'], ['effort', 'int'], ['commit_author_email', 's255'], ['assignee', 's255'], ['hash', 's100'], ['tags', 'text'], ['type', 's100'], ['scope', 's255'], ['start_line', 'int'], ['end_line', 'int'], ['start_offset', 'int'], ['end_offset', 'int'], ['vulnerability_probability', 's100'], ['security_category', 's100'], ['created_date', 'time'], ['updated_date', 'time']],
  },
  {
    table: 'cq_projects',
    goModel: 'codequality.CqProject',
    primaryKey: ['id'],
    columns: [['id', 's500'], COMMON, ['name', 's2000'], ['qualifier', 's255'], ['visibility', 's64'], ['last_analysis_date', 'time'], ['commit_sha', 's128']],
  },
];

const spec = (table: string) => codeQualityTables.find((t) => t.table === table)!;
export const CqFileMetrics = modelOf<CqFileMetricsRow>(spec('cq_file_metrics'));
export const CqIssueCodeBlock = modelOf<CqIssueCodeBlockRow>(spec('cq_issue_code_blocks'));
export const CqIssueImpact = modelOf<CqIssueImpactRow>(spec('cq_issue_impacts'));
export const CqIssue = modelOf<CqIssueRow>(spec('cq_issues'));
export const CqProject = modelOf<CqProjectRow>(spec('cq_projects'));
