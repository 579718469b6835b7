import { DomainTypes } from 'devlake-ts';
import type { ModelRow, SubTaskMeta } from 'devlake-ts';
import { GithubPrLabel, GithubPullRequest, GithubRepoAccount } from '../models';
import type { GithubPullRequestRow } from '../models';
import { compileOptional, field, findStringSubmatch, type GoRegexp, int, rawJsonField, str, time } from 'devlake-ts/devlake';
import { RAW, account, extract, repoAccount } from './shared';
import type { GithubTaskData } from './task-data';
import { shouldSkipByUsername } from './username-filter';

/** PR label classifiers from the scope config. */
export interface PrRegexes {
  type?: GoRegexp;
  component?: GoRegexp;
}

/** Tool rows for one raw pull request; PRs by excluded (bot) users yield nothing. */
export function extractPullRequest(record: unknown, rawText: string, data: GithubTaskData, re: PrRegexes): ModelRow<any>[] {
  const githubId = int(field(record, 'id'));
  if (githubId === 0) return [];
  const user = account(record, 'user');
  if (user && shouldSkipByUsername(user.login)) return [];
  const { connectionId, githubId: repoId } = data.options;
  const head = field<unknown>(record, 'head') ?? {};
  const base = field<unknown>(record, 'base') ?? {};
  const headRepo = field<unknown>(head, 'repo');
  const mergedBy = account(record, 'merged_by');
  const pr: GithubPullRequestRow = {
    connection_id: connectionId,
    github_id: githubId,
    repo_id: repoId,
    head_repo_id: headRepo && typeof headRepo === 'object' ? int(field(headRepo, 'id')) : 0,
    number: int(field(record, 'number')),
    state: str(field(record, 'state')),
    title: str(field(record, 'title')),
    url: str(field(record, 'html_url')),
    github_created_at: time(field(record, 'created_at')),
    github_updated_at: time(field(record, 'updated_at')),
    closed_at: time(field(record, 'closed_at')),
    merged_at: time(field(record, 'merged_at')),
    merge_commit_sha: str(field(record, 'merge_commit_sha')),
    body: rawJsonField(rawText, 'body'),
    base_ref: str(field(base, 'ref')),
    base_commit_sha: str(field(base, 'sha')),
    head_ref: str(field(head, 'ref')),
    head_commit_sha: str(field(head, 'sha')),
    additions: int(field(record, 'additions')),
    deletions: int(field(record, 'deletions')),
    comments: int(field(record, 'comments')),
    commits: int(field(record, 'commits')),
    review_comments: int(field(record, 'review_comments')),
    merged: field(record, 'merged') === true,
    is_draft: field(record, 'draft') === true,
    type: '',
    component: '',
    author_name: '',
    author_id: 0,
    merged_by_name: mergedBy?.login ?? '',
    merged_by_id: mergedBy?.id ?? 0,
  };
  const rows: ModelRow<any>[] = [];
  if (user) {
    rows.push(repoAccount(user, data));
    pr.author_name = user.login;
    pr.author_id = user.id;
  }
  for (const label of field<unknown[]>(record, 'labels') ?? []) {
    const name = str(field(label, 'name'));
    rows.push(GithubPrLabel.row({ connection_id: connectionId, pull_id: githubId, label_name: name }));
    const t = re.type ? findStringSubmatch(re.type, name) : undefined;
    if (t && t.length > 0) pr.type = t[1] ?? '';
    const c = re.component ? findStringSubmatch(re.component, name) : undefined;
    if (c && c.length > 0) pr.component = c[1] ?? '';
  }
  rows.push(GithubPullRequest.row(pr));
  return rows;
}

/** Extract Pull Requests: `_raw_github_api_pull_requests` → pull requests, labels, repo accounts. */
export const ExtractApiPullRequestsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Extract Pull Requests',
  enabledByDefault: true,
  description: 'Extract raw PullRequests data into tool layer table github_pull_requests',
  domainTypes: [DomainTypes.CROSS, DomainTypes.CODE_REVIEW],
  async entryPoint(ctx) {
    const data = ctx.getData();
    const re: PrRegexes = {
      type: compileOptional(data.options.scopeConfig.prType, 'prType'),
      component: compileOptional(data.options.scopeConfig.prComponent, 'prComponent'),
    };
    await extract(ctx, RAW.pullRequests, [GithubPullRequest, GithubPrLabel, GithubRepoAccount], (record, _raw, text) =>
      extractPullRequest(record, text, data, re),
    );
  },
};
