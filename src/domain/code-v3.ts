import { COMMON, type DomainEntityRow, type DomainTableSpec, type NoPkModelRow, modelOf } from './table-spec';

/**
 * DevLake's `code` domain tables added by the third domain migration
 * (backend/core/models/domainlayer/code), columns, keys and types as of
 * DevLake commit 420e494b (../shared/devlake-schema/domain.json).
 */

/** `commit_file_components` (code.CommitFileComponent, code/commit.go). */
export interface CommitFileComponentRow extends NoPkModelRow {
  commit_file_id: string;
  component_name?: string | null;
}

/** `commit_line_change` (code.CommitLineChange, code/commit.go). */
export interface CommitLineChangeRow extends DomainEntityRow {
  commit_sha?: string | null;
  new_file_path?: string | null;
  line_no_new?: number | null;
  line_no_old?: number | null;
  old_file_path?: string | null;
  hunk_num?: number | null;
  changed_type?: string | null;
  prev_commit?: string | null;
}

/** `commits_diffs` (code.CommitsDiff, code/commits_diff.go). */
export interface CommitsDiffRow {
  new_commit_sha: string;
  old_commit_sha: string;
  commit_sha: string;
  sorting_index?: number | null;
}

/** `components` (code.Component, code/component.go). */
export interface ComponentRow {
  repo_id?: string | null;
  name: string;
  path_regex?: string | null;
}

/** `pull_request_assignees` (code.PullRequestAssignee, code/pull_request_assignees.go). */
export interface PullRequestAssigneeRow extends NoPkModelRow {
  pull_request_id: string;
  assignee_id: string;
  name?: string | null;
  user_name?: string | null;
}

/** `pull_request_reviewers` (code.PullRequestReviewer, code/pull_request_reviewers.go). */
export interface PullRequestReviewerRow extends NoPkModelRow {
  pull_request_id: string;
  reviewer_id: string;
  name?: string | null;
  user_name?: string | null;
}

/** `ref_commits` (code.RefCommit, code/commits_diff.go). */
export interface RefCommitRow {
  new_ref_id: string;
  old_ref_id: string;
  new_commit_sha?: string | null;
  old_commit_sha?: string | null;
}

/** `refs_pr_cherrypicks` (code.RefsPrCherrypick, code/refs_pr_cherry_pick.go). */
export interface RefsPrCherrypickRow extends NoPkModelRow {
  repo_name?: string | null;
  parent_pr_key?: number | null;
  cherrypick_base_branches?: string | null;
  cherrypick_pr_keys?: string | null;
  parent_pr_url?: string | null;
  parent_pr_id: string;
}

/** `repo_languages` (code.RepoLanguage, code/repo.go). */
export interface RepoLanguageRow {
  repo_id?: string | null;
  language?: string | null;
  bytes?: number | null;
}

/** `repo_snapshot` (code.RepoSnapshot, code/commit.go). */
export interface RepoSnapshotRow extends NoPkModelRow {
  repo_id: string;
  commit_sha: string;
  file_path: string;
  line_no: number;
}

/** `code` tables of the third domain migration. */
export const codeTablesV3: DomainTableSpec[] = [
  {
    table: 'commit_file_components',
    goModel: 'code.CommitFileComponent',
    primaryKey: ['commit_file_id'],
    columns: [COMMON, ['commit_file_id', 's255'], ['component_name', 's255']],
  },
  {
    table: 'commit_line_change',
    goModel: 'code.CommitLineChange',
    primaryKey: ['id'],
    columns: [['id', 's255'], COMMON, ['commit_sha', 's40'], ['new_file_path', 's255'], ['line_no_new', 'int'], ['line_no_old', 'int'], ['old_file_path', 's255'], ['hunk_num', 'int'], ['changed_type', 's255'], ['prev_commit', 's255']],
  },
  {
    table: 'commits_diffs',
    goModel: 'code.CommitsDiff',
    primaryKey: ['new_commit_sha', 'old_commit_sha', 'commit_sha'],
    columns: [['new_commit_sha', 's40'], ['old_commit_sha', 's40'], ['commit_sha', 's40'], ['sorting_index', 'int']],
  },
  {
    table: 'components',
    goModel: 'code.Component',
    primaryKey: ['name'],
    columns: [['repo_id', 's255'], ['name', 's255'], ['path_regex', 's255']],
  },
  {
    table: 'pull_request_assignees',
    goModel: 'code.PullRequestAssignee',
    primaryKey: ['pull_request_id', 'assignee_id'],
    columns: [['pull_request_id', 's255'], ['assignee_id', 's255'], ['name', 's255'], ['user_name', 's255'], COMMON],
  },
  {
    table: 'pull_request_reviewers',
    goModel: 'code.PullRequestReviewer',
    primaryKey: ['pull_request_id', 'reviewer_id'],
    columns: [['pull_request_id', 's255'], ['reviewer_id', 's255'], ['name', 's255'], ['user_name', 's255'], COMMON],
  },
  {
    table: 'ref_commits',
    goModel: 'code.RefCommit',
    primaryKey: ['new_ref_id', 'old_ref_id'],
    columns: [['new_ref_id', 's255'], ['old_ref_id', 's255'], ['new_commit_sha', 's40'], ['old_commit_sha', 's40']],
  },
  {
    table: 'refs_pr_cherrypicks',
    goModel: 'code.RefsPrCherrypick',
    primaryKey: ['parent_pr_id'],
    columns: [['repo_name', 's255'], ['parent_pr_key', 'int'], ['cherrypick_base_branches', 's255'], ['cherrypick_pr_keys', 's255'], ['parent_pr_url', 's255'], ['parent_pr_id', 's255'], COMMON],
  },
  {
    table: 'repo_languages',
    goModel: 'code.RepoLanguage',
    primaryKey: [],
    columns: [['repo_id', 's255'], ['language', 's255'], ['bytes', 'int']],
  },
  {
    table: 'repo_snapshot',
    goModel: 'code.RepoSnapshot',
    primaryKey: ['repo_id', 'commit_sha', 'file_path', 'line_no'],
    columns: [COMMON, ['repo_id', 's255'], ['commit_sha', 's40'], ['file_path', 's255'], ['line_no', 'int']],
  },
];

const spec = (table: string) => codeTablesV3.find((t) => t.table === table)!;
export const CommitFileComponent = modelOf<CommitFileComponentRow>(spec('commit_file_components'));
export const CommitLineChange = modelOf<CommitLineChangeRow>(spec('commit_line_change'));
export const CommitsDiff = modelOf<CommitsDiffRow>(spec('commits_diffs'));
export const Component = modelOf<ComponentRow>(spec('components'));
export const PullRequestAssignee = modelOf<PullRequestAssigneeRow>(spec('pull_request_assignees'));
export const PullRequestReviewer = modelOf<PullRequestReviewerRow>(spec('pull_request_reviewers'));
export const RefCommit = modelOf<RefCommitRow>(spec('ref_commits'));
export const RefsPrCherrypick = modelOf<RefsPrCherrypickRow>(spec('refs_pr_cherrypicks'));
export const RepoLanguage = modelOf<RepoLanguageRow>(spec('repo_languages'));
export const RepoSnapshot = modelOf<RepoSnapshotRow>(spec('repo_snapshot'));
