import { COMMON, modelOf, type DomainEntityRow, type DomainTableSpec, type NoPkModelRow } from './table-spec';

/**
 * DevLake's `code` domain (backend/core/models/domainlayer/code), columns as of
 * DevLake commit 420e494b (checked against its e2e snapshot headers).
 */

type Time = Date | string | null;

export interface RepoRow extends DomainEntityRow {
  name?: string | null;
  url?: string | null;
  description?: string | null;
  owner_id?: string | null;
  language?: string | null;
  forked_from?: string | null;
  created_date?: Time;
  updated_date?: Time;
  deleted?: boolean | null;
}

export interface CommitRow extends NoPkModelRow {
  sha: string;
  additions?: number | null;
  deletions?: number | null;
  dev_eq?: number | null;
  message?: string | null;
  author_name?: string | null;
  author_email?: string | null;
  authored_date?: Time;
  author_id?: string | null;
  committer_name?: string | null;
  committer_email?: string | null;
  committed_date?: Time;
  committer_id?: string | null;
}

export interface CommitParentRow extends NoPkModelRow {
  commit_sha: string;
  parent_commit_sha: string;
}

export interface CommitFileRow extends DomainEntityRow {
  commit_sha?: string | null;
  file_path?: string | null;
  additions?: number | null;
  deletions?: number | null;
}

export interface RefRow extends DomainEntityRow {
  repo_id?: string | null;
  name?: string | null;
  commit_sha?: string | null;
  is_default?: boolean | null;
  ref_type?: string | null;
  created_date?: Time;
}

export interface PullRequestRow extends DomainEntityRow {
  base_repo_id?: string | null;
  head_repo_id?: string | null;
  status?: string | null;
  original_status?: string | null;
  title?: string | null;
  description?: string | null;
  url?: string | null;
  author_name?: string | null;
  author_id?: string | null;
  merged_by_name?: string | null;
  merged_by_id?: string | null;
  parent_pr_id?: string | null;
  pull_request_key?: number | null;
  created_date?: Time;
  merged_date?: Time;
  closed_date?: Time;
  type?: string | null;
  component?: string | null;
  merge_commit_sha?: string | null;
  head_ref?: string | null;
  base_ref?: string | null;
  base_commit_sha?: string | null;
  head_commit_sha?: string | null;
  additions?: number | null;
  deletions?: number | null;
  is_draft?: boolean | null;
}

export interface PullRequestCommentRow extends DomainEntityRow {
  pull_request_id?: string | null;
  body?: string | null;
  account_id?: string | null;
  created_date?: Time;
  commit_sha?: string | null;
  /** NORMAL, DIFF or REVIEW. */
  type?: string | null;
  review_id?: string | null;
  status?: string | null;
}

export interface PullRequestCommitRow extends NoPkModelRow {
  commit_sha: string;
  pull_request_id: string;
  commit_author_name?: string | null;
  commit_author_email?: string | null;
  commit_authored_date?: Time;
}

export interface PullRequestLabelRow extends NoPkModelRow {
  pull_request_id: string;
  label_name: string;
}

export interface RepoCommitRow extends NoPkModelRow {
  repo_id: string;
  commit_sha: string;
}

/** Code tables of the first domain migration. */
export const codeTables: DomainTableSpec[] = [
  {
    table: 'repos',
    goModel: 'code.Repo',
    primaryKey: ['id'],
    columns: [['id', 's255'], COMMON, ['name', 'text'], ['url', 'text'], ['description', 'text'], ['owner_id', 's255'], ['language', 's255'], ['forked_from', 'text'], ['created_date', 'time'], ['updated_date', 'time'], ['deleted', 'bool']],
  },
  {
    table: 'commits',
    goModel: 'code.Commit',
    primaryKey: ['sha'],
    columns: [COMMON, ['sha', 's40'], ['additions', 'int'], ['deletions', 'int'], ['dev_eq', 'int'], ['message', 'text'], ['author_name', 's255'], ['author_email', 's255'], ['authored_date', 'time'], ['author_id', 's255'], ['committer_name', 's255'], ['committer_email', 's255'], ['committed_date', 'time'], ['committer_id', 's255']],
    indexes: ['committer_id'],
  },
  {
    table: 'commit_parents',
    goModel: 'code.CommitParent',
    primaryKey: ['commit_sha', 'parent_commit_sha'],
    columns: [COMMON, ['commit_sha', 's40'], ['parent_commit_sha', 's40']],
  },
  {
    table: 'commit_files',
    goModel: 'code.CommitFile',
    primaryKey: ['id'],
    columns: [['id', 's255'], COMMON, ['commit_sha', 's40'], ['file_path', 'text'], ['additions', 'int'], ['deletions', 'int']],
  },
  {
    table: 'refs',
    goModel: 'code.Ref',
    primaryKey: ['id'],
    columns: [['id', 's255'], COMMON, ['repo_id', 's255'], ['name', 's255'], ['commit_sha', 's40'], ['is_default', 'bool'], ['ref_type', 's255'], ['created_date', 'time']],
  },
  {
    table: 'pull_requests',
    goModel: 'code.PullRequest',
    primaryKey: ['id'],
    columns: [
      ['id', 's255'], COMMON, ['base_repo_id', 's255'], ['head_repo_id', 's255'], ['status', 's100'], ['original_status', 's100'], ['title', 'text'], ['description', 'text'], ['url', 's255'],
      ['author_name', 's100'], ['author_id', 's100'], ['merged_by_name', 's100'], ['merged_by_id', 's100'], ['parent_pr_id', 's100'], ['pull_request_key', 'int'], ['created_date', 'time'],
      ['merged_date', 'time'], ['closed_date', 'time'], ['type', 's100'], ['component', 'text'], ['merge_commit_sha', 's40'], ['head_ref', 's255'], ['base_ref', 's255'],
      ['base_commit_sha', 's40'], ['head_commit_sha', 's40'], ['additions', 'int'], ['deletions', 'int'], ['is_draft', 'bool'],
    ],
    indexes: ['base_repo_id', 'head_repo_id', 'parent_pr_id'],
  },
  {
    table: 'pull_request_comments',
    goModel: 'code.PullRequestComment',
    primaryKey: ['id'],
    columns: [['id', 's255'], COMMON, ['pull_request_id', 's255'], ['body', 'text'], ['account_id', 's255'], ['created_date', 'time'], ['commit_sha', 's255'], ['type', 's255'], ['review_id', 's255'], ['status', 's255']],
    indexes: ['pull_request_id'],
  },
  {
    table: 'pull_request_commits',
    goModel: 'code.PullRequestCommit',
    primaryKey: ['commit_sha', 'pull_request_id'],
    columns: [['commit_sha', 's40'], ['pull_request_id', 's255'], ['commit_author_name', 'text'], ['commit_author_email', 'text'], ['commit_authored_date', 'time'], COMMON],
  },
  {
    table: 'pull_request_labels',
    goModel: 'code.PullRequestLabel',
    primaryKey: ['pull_request_id', 'label_name'],
    columns: [['pull_request_id', 's255'], ['label_name', 's255'], COMMON],
  },
];

/** `repo_commits`, added by the second domain migration. */
export const repoCommitsSpec: DomainTableSpec = {
  table: 'repo_commits',
  goModel: 'code.RepoCommit',
  primaryKey: ['repo_id', 'commit_sha'],
  columns: [['repo_id', 's255'], ['commit_sha', 's40'], COMMON],
  indexes: ['commit_sha'],
};

const spec = (table: string) => codeTables.find((t) => t.table === table)!;
export const Repo = modelOf<RepoRow>(spec('repos'));
export const Commit = modelOf<CommitRow>(spec('commits'));
export const CommitParent = modelOf<CommitParentRow>(spec('commit_parents'));
export const CommitFile = modelOf<CommitFileRow>(spec('commit_files'));
export const Ref = modelOf<RefRow>(spec('refs'));
export const PullRequest = modelOf<PullRequestRow>(spec('pull_requests'));
export const PullRequestComment = modelOf<PullRequestCommentRow>(spec('pull_request_comments'));
export const PullRequestCommit = modelOf<PullRequestCommitRow>(spec('pull_request_commits'));
export const PullRequestLabel = modelOf<PullRequestLabelRow>(spec('pull_request_labels'));
export const RepoCommit = modelOf<RepoCommitRow>(repoCommitsSpec);
