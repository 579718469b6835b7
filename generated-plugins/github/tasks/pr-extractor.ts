import { DomainTypes, mappedExtractor, pick } from 'devlake-ts';
import type { ModelRow } from 'devlake-ts';
import { GithubPrLabel, GithubPullRequest, GithubRepoAccount } from '../models';
import { compileOptional, field, findStringSubmatch, str } from 'devlake-ts/devlake';
import { RAW, account, repoAccount, repoIdRule } from './shared';
import type { GithubTaskData } from '../task-data';
import { shouldSkipByUsername } from './username-filter';

/**
 * Extract Pull Requests: `_raw_github_api_pull_requests` → pull requests (none
 * for excluded bot users), their labels (classified by the scope config's
 * prType / prComponent) and the repo accounts seen.
 */
export const ExtractApiPullRequestsMeta = mappedExtractor<GithubTaskData, typeof GithubPullRequest>({
  entity: 'pull_requests',
  description: 'Extract raw PullRequests data into tool layer table github_pull_requests',
  domainTypes: [DomainTypes.CROSS, DomainTypes.CODE_REVIEW],
  rawTable: RAW.pullRequests,
  table: GithubPullRequest,
  columns: {
    connection_id: pick.param('ConnectionId'),
    github_id: pick.int('id', { nullAs: 0 }),
    repo_id: repoIdRule,
    head_repo_id: pick.int('head.repo.id', { nullAs: 0 }),
    number: pick.int('number', { nullAs: 0 }),
    state: pick.asIs('state', { nullAs: '' }),
    title: pick.asIs('title', { nullAs: '' }),
    url: pick.asIs('html_url', { nullAs: '' }),
    github_created_at: pick.time('created_at'),
    github_updated_at: pick.time('updated_at'),
    closed_at: pick.time('closed_at'),
    merged_at: pick.time('merged_at'),
    merge_commit_sha: pick.asIs('merge_commit_sha', { nullAs: '' }),
    body: pick.json('body', { nullAs: 'null' }),
    base_ref: pick.asIs('base.ref', { nullAs: '' }),
    base_commit_sha: pick.asIs('base.sha', { nullAs: '' }),
    head_ref: pick.asIs('head.ref', { nullAs: '' }),
    head_commit_sha: pick.asIs('head.sha', { nullAs: '' }),
    additions: pick.int('additions', { nullAs: 0 }),
    deletions: pick.int('deletions', { nullAs: 0 }),
    comments: pick.int('comments', { nullAs: 0 }),
    commits: pick.int('commits', { nullAs: 0 }),
    review_comments: pick.int('review_comments', { nullAs: 0 }),
    merged: pick.bool('merged', { nullAs: false }),
    is_draft: pick.bool('draft', { nullAs: false }),
    author_name: pick.asIs('user.login', { nullAs: '' }),
    author_id: pick.int('user.id', { nullAs: 0 }),
    merged_by_name: pick.asIs('merged_by.login', { nullAs: '' }),
    merged_by_id: pick.int('merged_by.id', { nullAs: 0 }),
  },
  alsoWrites: [GithubPrLabel, GithubRepoAccount],
  perRecord: (data) => {
    const type = compileOptional(data.options.scopeConfig.prType, 'prType');
    const component = compileOptional(data.options.scopeConfig.prComponent, 'prComponent');
    return (pr, record) => {
      const user = account(record, 'user');
      if (pr.github_id === 0 || (user && shouldSkipByUsername(user.login))) return false;
      Object.assign(pr, { type: '', component: '' });
      const rows: ModelRow<any>[] = user ? [repoAccount(user, data)] : [];
      for (const label of field<unknown[]>(record, 'labels') ?? []) {
        const name = str(field(label, 'name'));
        rows.push(GithubPrLabel.row({ connection_id: data.options.connectionId, pull_id: pr.github_id, label_name: name }));
        const t = type ? findStringSubmatch(type, name) : undefined;
        if (t && t.length > 0) pr.type = t[1] ?? '';
        const c = component ? findStringSubmatch(component, name) : undefined;
        if (c && c.length > 0) pr.component = c[1] ?? '';
      }
      return rows;
    };
  },
});
