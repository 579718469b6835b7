import { COMMON, modelOf, type DomainEntityRow, type DomainTableSpec, type NoPkModelRow } from './table-spec';

/**
 * DevLake's `ticket` domain (backend/core/models/domainlayer/ticket), columns as
 * of DevLake commit 420e494b (checked against its e2e snapshot headers).
 */

type Time = Date | string | null;

export interface BoardRow extends DomainEntityRow {
  name?: string | null;
  description?: string | null;
  url?: string | null;
  created_date?: Time;
  type?: string | null;
}

export interface BoardIssueRow extends NoPkModelRow {
  board_id: string;
  issue_id: string;
}

export interface IssueRow extends DomainEntityRow {
  url?: string | null;
  icon_url?: string | null;
  issue_key?: string | null;
  title?: string | null;
  description?: string | null;
  epic_key?: string | null;
  /** BUG, REQUIREMENT, INCIDENT, TASK… */
  type?: string | null;
  original_type?: string | null;
  /** TODO, IN_PROGRESS, DONE, OTHER. */
  status?: string | null;
  original_status?: string | null;
  story_point?: number | null;
  resolution_date?: Time;
  created_date?: Time;
  updated_date?: Time;
  lead_time_minutes?: number | null;
  original_estimate_minutes?: number | null;
  time_spent_minutes?: number | null;
  time_remaining_minutes?: number | null;
  creator_id?: string | null;
  creator_name?: string | null;
  assignee_id?: string | null;
  assignee_name?: string | null;
  parent_issue_id?: string | null;
  priority?: string | null;
  severity?: string | null;
  urgency?: string | null;
  component?: string | null;
  original_project?: string | null;
  is_subtask?: boolean | null;
  due_date?: Time;
  fix_versions?: string | null;
}

export interface IssueCommentRow extends DomainEntityRow {
  issue_id?: string | null;
  body?: string | null;
  account_id?: string | null;
  created_date?: Time;
  updated_date?: Time;
}

export interface IssueLabelRow extends NoPkModelRow {
  issue_id: string;
  label_name: string;
}

export interface IssueChangelogRow extends DomainEntityRow {
  issue_id?: string | null;
  author_id?: string | null;
  author_name?: string | null;
  field_id?: string | null;
  field_name?: string | null;
  original_from_value?: string | null;
  original_to_value?: string | null;
  from_value?: string | null;
  to_value?: string | null;
  created_date?: Time;
}

export interface IssueWorklogRow extends DomainEntityRow {
  author_id?: string | null;
  comment?: string | null;
  time_spent_minutes?: number | null;
  logged_date?: Time;
  started_date?: Time;
  issue_id?: string | null;
}

export interface SprintRow extends DomainEntityRow {
  name?: string | null;
  url?: string | null;
  /** BEFORE_SPRINT, DURING_SPRINT, AFTER_SPRINT. */
  status?: string | null;
  started_date?: Time;
  ended_date?: Time;
  completed_date?: Time;
  original_board_id?: string | null;
}

export interface SprintIssueRow extends NoPkModelRow {
  sprint_id: string;
  issue_id: string;
}

export interface BoardSprintRow extends NoPkModelRow {
  board_id: string;
  sprint_id: string;
}

export interface IssueAssigneeRow extends NoPkModelRow {
  issue_id: string;
  assignee_id: string;
  assignee_name?: string | null;
}

export const ticketTables: DomainTableSpec[] = [
  {
    table: 'boards',
    goModel: 'ticket.Board',
    primaryKey: ['id'],
    columns: [['id', 's255'], COMMON, ['name', 's255'], ['description', 'text'], ['url', 's255'], ['created_date', 'time'], ['type', 's255']],
  },
  {
    table: 'board_issues',
    goModel: 'ticket.BoardIssue',
    primaryKey: ['board_id', 'issue_id'],
    columns: [['board_id', 's255'], ['issue_id', 's255'], COMMON],
  },
  {
    table: 'issues',
    goModel: 'ticket.Issue',
    primaryKey: ['id'],
    columns: [
      ['id', 's255'], COMMON, ['url', 's255'], ['icon_url', 's255'], ['issue_key', 's255'], ['title', 'text'], ['description', 'text'], ['epic_key', 's255'], ['type', 's100'],
      ['original_type', 's500'], ['status', 's100'], ['original_status', 's100'], ['story_point', 'float'], ['resolution_date', 'time'], ['created_date', 'time'], ['updated_date', 'time'],
      ['lead_time_minutes', 'int'], ['original_estimate_minutes', 'int'], ['time_spent_minutes', 'int'], ['time_remaining_minutes', 'int'], ['creator_id', 's255'], ['creator_name', 's255'],
      ['assignee_id', 's255'], ['assignee_name', 's255'], ['parent_issue_id', 's255'], ['priority', 's255'], ['severity', 's255'], ['urgency', 's255'], ['component', 's255'],
      ['original_project', 's255'], ['is_subtask', 'bool'], ['due_date', 'time'], ['fix_versions', 's255'],
    ],
  },
  {
    table: 'issue_comments',
    goModel: 'ticket.IssueComment',
    primaryKey: ['id'],
    columns: [['id', 's255'], COMMON, ['issue_id', 's255'], ['body', 'text'], ['account_id', 's255'], ['created_date', 'time'], ['updated_date', 'time']],
    indexes: ['issue_id'],
  },
  {
    table: 'issue_labels',
    goModel: 'ticket.IssueLabel',
    primaryKey: ['issue_id', 'label_name'],
    columns: [['issue_id', 's255'], ['label_name', 's255'], COMMON],
  },
  {
    table: 'issue_changelogs',
    goModel: 'ticket.IssueChangelogs',
    primaryKey: ['id'],
    columns: [
      ['id', 's255'], COMMON, ['issue_id', 's255'], ['author_id', 's255'], ['author_name', 's255'], ['field_id', 's255'], ['field_name', 's255'], ['original_from_value', 'text'],
      ['original_to_value', 'text'], ['from_value', 'text'], ['to_value', 'text'], ['created_date', 'time'],
    ],
    indexes: ['issue_id'],
  },
  {
    table: 'issue_worklogs',
    goModel: 'ticket.IssueWorklog',
    primaryKey: ['id'],
    columns: [['id', 's255'], COMMON, ['author_id', 's255'], ['comment', 'text'], ['time_spent_minutes', 'int'], ['logged_date', 'time'], ['started_date', 'time'], ['issue_id', 's255']],
    indexes: ['issue_id'],
  },
  {
    table: 'sprints',
    goModel: 'ticket.Sprint',
    primaryKey: ['id'],
    columns: [['id', 's255'], COMMON, ['name', 's255'], ['url', 's255'], ['status', 's100'], ['started_date', 'time'], ['ended_date', 'time'], ['completed_date', 'time'], ['original_board_id', 's255']],
  },
  {
    table: 'sprint_issues',
    goModel: 'ticket.SprintIssue',
    primaryKey: ['sprint_id', 'issue_id'],
    columns: [COMMON, ['sprint_id', 's255'], ['issue_id', 's255']],
  },
  {
    table: 'board_sprints',
    goModel: 'ticket.BoardSprint',
    primaryKey: ['board_id', 'sprint_id'],
    columns: [COMMON, ['board_id', 's255'], ['sprint_id', 's255']],
  },
  {
    table: 'issue_assignees',
    goModel: 'ticket.IssueAssignee',
    primaryKey: ['issue_id', 'assignee_id'],
    columns: [['issue_id', 's255'], ['assignee_id', 's255'], ['assignee_name', 's255'], COMMON],
  },
];

const spec = (table: string) => ticketTables.find((t) => t.table === table)!;
export const Board = modelOf<BoardRow>(spec('boards'));
export const BoardIssue = modelOf<BoardIssueRow>(spec('board_issues'));
export const Issue = modelOf<IssueRow>(spec('issues'));
export const IssueComment = modelOf<IssueCommentRow>(spec('issue_comments'));
export const IssueLabel = modelOf<IssueLabelRow>(spec('issue_labels'));
export const IssueChangelog = modelOf<IssueChangelogRow>(spec('issue_changelogs'));
export const IssueWorklog = modelOf<IssueWorklogRow>(spec('issue_worklogs'));
export const Sprint = modelOf<SprintRow>(spec('sprints'));
export const SprintIssue = modelOf<SprintIssueRow>(spec('sprint_issues'));
export const BoardSprint = modelOf<BoardSprintRow>(spec('board_sprints'));
export const IssueAssignee = modelOf<IssueAssigneeRow>(spec('issue_assignees'));
