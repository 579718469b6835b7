/** The GitHub plugin's tool-layer models, one file per `_tool_github_*` table. */
import type { TableDef } from 'devlake-ts';
import { GithubAccountOrg } from './account-orgs';
import { GithubAccount } from './accounts';
import { GithubCommit } from './commits';
import { GithubCommitStat } from './commit-stats';
import { GithubIssueAssignee } from './issue-assignees';
import { GithubIssueComment } from './issue-comments';
import { GithubIssueEvent } from './issue-events';
import { GithubIssueLabel } from './issue-labels';
import { GithubIssue } from './issues';
import { GithubJob } from './jobs';
import { GithubMilestone } from './milestones';
import { GithubPrComment } from './pull-request-comments';
import { GithubPrCommit } from './pull-request-commits';
import { GithubPrIssue } from './pull-request-issues';
import { GithubPrLabel } from './pull-request-labels';
import { GithubPrReview } from './pull-request-reviews';
import { GithubPullRequest } from './pull-requests';
import { GithubRepoAccount } from './repo-accounts';
import { GithubRepoCommit } from './repo-commits';
import { GithubRepo } from './repos';
import { GithubReviewer } from './reviewers';
import { GithubRun } from './runs';

export * from './account-orgs';
export * from './accounts';
export * from './commits';
export * from './commit-stats';
export * from './issue-assignees';
export * from './issue-comments';
export * from './issue-events';
export * from './issue-labels';
export * from './issues';
export * from './jobs';
export * from './milestones';
export * from './pull-request-comments';
export * from './pull-request-commits';
export * from './pull-request-issues';
export * from './pull-request-labels';
export * from './pull-request-reviews';
export * from './pull-requests';
export * from './repo-accounts';
export * from './repo-commits';
export * from './repos';
export * from './reviewers';
export * from './runs';

/** Every tool table of the plugin, for `getTablesInfo()`. */
export const githubToolModels: TableDef<any>[] = [
  GithubAccountOrg,
  GithubAccount,
  GithubCommit,
  GithubCommitStat,
  GithubIssueAssignee,
  GithubIssueComment,
  GithubIssueEvent,
  GithubIssueLabel,
  GithubIssue,
  GithubJob,
  GithubMilestone,
  GithubPrComment,
  GithubPrCommit,
  GithubPrIssue,
  GithubPrLabel,
  GithubPrReview,
  GithubPullRequest,
  GithubRepoAccount,
  GithubRepoCommit,
  GithubRepo,
  GithubReviewer,
  GithubRun,
];
