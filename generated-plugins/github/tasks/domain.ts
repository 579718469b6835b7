import { defineModel } from 'devlake-ts';
import type { Row } from 'devlake-ts';

/**
 * The DevLake domain tables the GitHub converters write: table name and primary
 * key, enough for the converter helpers to upsert and replace rows. The tables
 * themselves come from the toolkit's domain migrations.
 */
const domain = (table: string, primaryKey: string[] = ['id']) => defineModel<Row>({ table, primaryKey });

export const Account = domain('accounts');
export const Issue = domain('issues');
export const BoardIssue = domain('board_issues', ['board_id', 'issue_id']);
export const IssueLabel = domain('issue_labels', ['issue_id', 'label_name']);
export const IssueComment = domain('issue_comments');
export const IssueAssignee = domain('issue_assignees', ['issue_id', 'assignee_id']);
export const Sprint = domain('sprints');
export const BoardSprint = domain('board_sprints', ['board_id', 'sprint_id']);
export const SprintIssue = domain('sprint_issues', ['sprint_id', 'issue_id']);
export const PullRequest = domain('pull_requests');
export const PullRequestComment = domain('pull_request_comments');
export const PullRequestCommit = domain('pull_request_commits', ['commit_sha', 'pull_request_id']);
export const PullRequestLabel = domain('pull_request_labels', ['pull_request_id', 'label_name']);
export const PullRequestIssue = domain('pull_request_issues', ['pull_request_id', 'issue_id']);
export const Repo = domain('repos');
export const Board = domain('boards');
export const BoardRepo = domain('board_repos', ['board_id', 'repo_id']);
export const CicdScope = domain('cicd_scopes');
export const CicdPipeline = domain('cicd_pipelines');
export const CicdPipelineCommit = domain('cicd_pipeline_commits', ['pipeline_id', 'commit_sha']);
export const CicdTask = domain('cicd_tasks');
