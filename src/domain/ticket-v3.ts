import { COMMON, type DomainEntityRow, type DomainTableSpec, type NoPkModelRow, modelOf } from './table-spec';

/**
 * DevLake's `ticket` domain tables added by the third domain migration
 * (backend/core/models/domainlayer/ticket), columns, keys and types as of
 * DevLake commit 420e494b (../shared/devlake-schema/domain.json).
 */

type Time = Date | string | null;

/** `incident_assignees` (ticket.IncidentAssignee, ticket/incident_assginee.go). */
export interface IncidentAssigneeRow extends NoPkModelRow {
  incident_id: string;
  assignee_id: string;
  assignee_name?: string | null;
}

/** `incidents` (ticket.Incident, ticket/incident.go). */
export interface IncidentRow extends DomainEntityRow {
  url?: string | null;
  incident_key?: string | null;
  title?: string | null;
  description?: string | null;
  status?: string | null;
  original_status?: string | null;
  resolution_date?: Time;
  created_date?: Time;
  updated_date?: Time;
  lead_time_minutes?: number | null;
  original_estimate_minutes?: number | null;
  time_spent_minutes?: number | null;
  time_remaining_minutes?: number | null;
  creator_id?: string | null;
  creator_name?: string | null;
  parent_incident_id?: string | null;
  priority?: string | null;
  severity?: string | null;
  urgency?: string | null;
  component?: string | null;
  original_project?: string | null;
  table?: string | null;
  scope_id?: string | null;
  assignee_id?: string | null;
  assignee_name?: string | null;
}

/** `issue_custom_array_fields` (ticket.IssueCustomArrayField, ticket/issue_custom_array_fields.go). */
export interface IssueCustomArrayFieldRow extends NoPkModelRow {
  issue_id: string;
  field_id: string;
  field_value: string;
}

/** `issue_relationships` (ticket.IssueRelationship, ticket/issue_relationship.go). */
export interface IssueRelationshipRow extends NoPkModelRow {
  source_issue_id: string;
  target_issue_id: string;
  original_type: string;
}

/** `ticket` tables of the third domain migration. */
export const ticketTablesV3: DomainTableSpec[] = [
  {
    table: 'incident_assignees',
    goModel: 'ticket.IncidentAssignee',
    primaryKey: ['incident_id', 'assignee_id'],
    columns: [['incident_id', 's255'], ['assignee_id', 's255'], ['assignee_name', 's255'], COMMON],
  },
  {
    table: 'incidents',
    goModel: 'ticket.Incident',
    primaryKey: ['id'],
    columns: [['id', 's255'], COMMON, ['url', 's255'], ['incident_key', 's255'], ['title', 'text'], ['description', 'text'], ['status', 's100'], ['original_status', 's100'], ['resolution_date', 'time'], ['created_date', 'time'], ['updated_date', 'time'], ['lead_time_minutes', 'int'], ['original_estimate_minutes', 'int'], ['time_spent_minutes', 'int'], ['time_remaining_minutes', 'int'], ['creator_id', 's255'], ['creator_name', 's255'], ['parent_incident_id', 's255'], ['priority', 's255'], ['severity', 's255'], ['urgency', 's255'], ['component', 's255'], ['original_project', 's255'], ['table', 's255'], ['scope_id', 's255'], ['assignee_id', 's255'], ['assignee_name', 's255']],
  },
  {
    table: 'issue_custom_array_fields',
    goModel: 'ticket.IssueCustomArrayField',
    primaryKey: ['issue_id', 'field_id', 'field_value'],
    columns: [['issue_id', 's255'], ['field_id', 's255'], ['field_value', 's255'], COMMON],
  },
  {
    table: 'issue_relationships',
    goModel: 'ticket.IssueRelationship',
    primaryKey: ['source_issue_id', 'target_issue_id', 'original_type'],
    columns: [['source_issue_id', 's255'], ['target_issue_id', 's255'], ['original_type', 's255'], COMMON],
  },
];

const spec = (table: string) => ticketTablesV3.find((t) => t.table === table)!;
export const IncidentAssignee = modelOf<IncidentAssigneeRow>(spec('incident_assignees'));
export const Incident = modelOf<IncidentRow>(spec('incidents'));
export const IssueCustomArrayField = modelOf<IssueCustomArrayFieldRow>(spec('issue_custom_array_fields'));
export const IssueRelationship = modelOf<IssueRelationshipRow>(spec('issue_relationships'));
