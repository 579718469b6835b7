import { DomainIdGenerator, pick } from 'devlake-ts';
import type { ModelRow } from 'devlake-ts';
import { GithubRepoAccount } from '../models';
import { field, int, str } from 'devlake-ts/devlake';
import type { GithubTaskData } from '../task-data';

/** Raw tables, named as DevLake's RAW_*_TABLE constants (with the `_raw_` prefix). */
export const RAW = {
  accounts: '_raw_github_api_accounts',
  accountOrgs: '_raw_github_api_account_orgs',
  comments: '_raw_github_api_comments',
  commits: '_raw_github_api_commits',
  commitStats: '_raw_github_api_commit_stats',
  events: '_raw_github_api_events',
  issues: '_raw_github_api_issues',
  jobs: '_raw_github_api_jobs',
  milestones: '_raw_github_milestones',
  prCommits: '_raw_github_api_pull_request_commits',
  prReviewComments: '_raw_github_api_pull_request_review_comments',
  prReviews: '_raw_github_api_pull_request_reviews',
  pullRequests: '_raw_github_api_pull_requests',
  repositories: '_raw_github_api_repositories',
  runs: '_raw_github_api_runs',
} as const;

/** Domain id generators for GitHub tool models (DevLake's didgen with the Go struct names). */
export const ids = {
  account: new DomainIdGenerator('github', 'GithubAccount'),
  issue: new DomainIdGenerator('github', 'GithubIssue'),
  job: new DomainIdGenerator('github', 'GithubJob'),
  milestone: new DomainIdGenerator('github', 'GithubMilestone'),
  prComment: new DomainIdGenerator('github', 'GithubPrComment'),
  prReview: new DomainIdGenerator('github', 'GithubPrReview'),
  pullRequest: new DomainIdGenerator('github', 'GithubPullRequest'),
  repo: new DomainIdGenerator('github', 'GithubRepo'),
  run: new DomainIdGenerator('github', 'GithubRun'),
};

/** A declared extractor's rule for `repo_id`: the task's repo (DevLake sets it from the options, not the record). */
export const repoIdRule = pick.constant((data: GithubTaskData) => data.options.githubId);

/** This task's repo, for `where()` on a tool table keyed by `connection_id` and `repo_id`. */
export function ofRepo(data: GithubTaskData): { connection_id: number; repo_id: number } {
  return { connection_id: data.options.connectionId, repo_id: data.options.githubId };
}

/** The user object GitHub embeds in issues, PRs, comments (DevLake's GithubAccountResponse). */
export interface GithubAccountResponse {
  login?: string;
  id?: number;
}

/** A JSON object field that may be null or absent (a Go pointer to a struct). */
export function account(record: unknown, key: string): GithubAccountResponse | undefined {
  const v = field<unknown>(record, key);
  if (v === null || v === undefined || typeof v !== 'object') return undefined;
  return { login: str(field(v, 'login')), id: int(field(v, 'id')) };
}

/** The repo-account link DevLake's `convertAccount` writes for every user seen in a record. */
export function repoAccount(user: GithubAccountResponse, data: GithubTaskData): ModelRow<any> {
  return GithubRepoAccount.row({
    connection_id: data.options.connectionId,
    account_id: user.id ?? 0,
    repo_github_id: data.options.githubId,
    login: user.login ?? '',
  });
}
