import { COMMON, modelOf, type DomainEntityRow, type DomainTableSpec, type NoPkModelRow } from './table-spec';

/**
 * DevLake's `crossdomain` domain (backend/core/models/domainlayer/crossdomain),
 * columns as of DevLake commit 420e494b (checked against its e2e snapshot headers).
 */

export interface AccountRow extends DomainEntityRow {
  email?: string | null;
  full_name?: string | null;
  user_name?: string | null;
  avatar_url?: string | null;
  organization?: string | null;
  created_date?: Date | string | null;
  status?: number | null;
}

export interface UserRow extends DomainEntityRow {
  email?: string | null;
  name?: string | null;
}

export interface UserAccountRow extends NoPkModelRow {
  user_id?: string | null;
  account_id: string;
}

export interface TeamRow extends DomainEntityRow {
  name?: string | null;
  alias?: string | null;
  parent_id?: string | null;
  sorting_index?: number | null;
}

export interface TeamUserRow extends NoPkModelRow {
  team_id: string;
  user_id: string;
}

export interface BoardRepoRow extends NoPkModelRow {
  board_id: string;
  repo_id: string;
}

export interface ProjectMappingRow extends NoPkModelRow {
  project_name: string;
  /** The domain table of the scope, e.g. `repos`, `boards`, `cicd_scopes`. */
  table: string;
  row_id: string;
}

export interface IssueRepoCommitRow extends NoPkModelRow {
  issue_id: string;
  repo_url: string;
  commit_sha: string;
  host?: string | null;
  namespace?: string | null;
  repo_name?: string | null;
}

export interface IssueCommitRow extends NoPkModelRow {
  issue_id: string;
  commit_sha: string;
}

export interface PullRequestIssueRow extends NoPkModelRow {
  pull_request_id: string;
  issue_id: string;
  pull_request_key?: number | null;
  issue_key?: string | null;
}

export const crossdomainTables: DomainTableSpec[] = [
  {
    table: 'accounts',
    goModel: 'crossdomain.Account',
    primaryKey: ['id'],
    columns: [['id', 's255'], COMMON, ['email', 's255'], ['full_name', 's255'], ['user_name', 's255'], ['avatar_url', 's255'], ['organization', 's255'], ['created_date', 'time'], ['status', 'int']],
  },
  {
    table: 'users',
    goModel: 'crossdomain.User',
    primaryKey: ['id'],
    columns: [['id', 's255'], COMMON, ['email', 's255'], ['name', 's255']],
  },
  {
    table: 'user_accounts',
    goModel: 'crossdomain.UserAccount',
    primaryKey: ['account_id'],
    columns: [['user_id', 's255'], ['account_id', 's255'], COMMON],
  },
  {
    table: 'teams',
    goModel: 'crossdomain.Team',
    primaryKey: ['id'],
    columns: [['id', 's255'], COMMON, ['name', 's255'], ['alias', 's255'], ['parent_id', 's255'], ['sorting_index', 'int']],
  },
  {
    table: 'team_users',
    goModel: 'crossdomain.TeamUser',
    primaryKey: ['team_id', 'user_id'],
    columns: [['team_id', 's255'], ['user_id', 's255'], COMMON],
  },
  {
    table: 'board_repos',
    goModel: 'crossdomain.BoardRepo',
    primaryKey: ['board_id', 'repo_id'],
    columns: [['board_id', 's255'], ['repo_id', 's255'], COMMON],
  },
  {
    table: 'project_mapping',
    goModel: 'crossdomain.ProjectMapping',
    primaryKey: ['project_name', 'table', 'row_id'],
    columns: [['project_name', 's255'], ['table', 's255'], ['row_id', 's255'], COMMON],
  },
  {
    table: 'issue_repo_commits',
    goModel: 'crossdomain.IssueRepoCommit',
    primaryKey: ['issue_id', 'repo_url', 'commit_sha'],
    columns: [COMMON, ['issue_id', 's255'], ['repo_url', 's255'], ['commit_sha', 's255'], ['host', 's255'], ['namespace', 's255'], ['repo_name', 's255']],
  },
  {
    table: 'issue_commits',
    goModel: 'crossdomain.IssueCommit',
    primaryKey: ['issue_id', 'commit_sha'],
    columns: [COMMON, ['issue_id', 's255'], ['commit_sha', 's255']],
  },
  {
    table: 'pull_request_issues',
    goModel: 'crossdomain.PullRequestIssue',
    primaryKey: ['pull_request_id', 'issue_id'],
    columns: [['pull_request_id', 's255'], ['issue_id', 's255'], ['pull_request_key', 'int'], ['issue_key', 's255'], COMMON],
  },
];

const spec = (table: string) => crossdomainTables.find((t) => t.table === table)!;
export const Account = modelOf<AccountRow>(spec('accounts'));
export const User = modelOf<UserRow>(spec('users'));
export const UserAccount = modelOf<UserAccountRow>(spec('user_accounts'));
export const Team = modelOf<TeamRow>(spec('teams'));
export const TeamUser = modelOf<TeamUserRow>(spec('team_users'));
export const BoardRepo = modelOf<BoardRepoRow>(spec('board_repos'));
export const ProjectMapping = modelOf<ProjectMappingRow>(spec('project_mapping'));
export const IssueRepoCommit = modelOf<IssueRepoCommitRow>(spec('issue_repo_commits'));
export const IssueCommit = modelOf<IssueCommitRow>(spec('issue_commits'));
export const PullRequestIssue = modelOf<PullRequestIssueRow>(spec('pull_request_issues'));
