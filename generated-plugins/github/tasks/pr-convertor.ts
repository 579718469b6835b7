import { DomainTypes } from 'devlake-ts';
import type { ModelRow, SelectRowOf, SubTaskMeta } from 'devlake-ts';
import { PullRequest } from './domain';
import { GithubPullRequest } from '../models';
import { RAW, convert, ids } from './shared';
import type { GithubTaskData } from './task-data';

/** OPEN, MERGED (closed with a merge time) or CLOSED, as DevLake's PR status. */
export function prStatus(state: string, mergedAt: Date | null): string {
  if (state === 'open' || state === 'OPEN') return 'OPEN';
  if ((state === 'closed' && mergedAt !== null) || state === 'MERGED') return 'MERGED';
  return 'CLOSED';
}

/** The domain pull request for one tool pull request. */
export function convertPullRequest(pr: SelectRowOf<typeof GithubPullRequest>, data: GithubTaskData): ModelRow<any>[] {
  const { connectionId } = data.options;
  const mergedAt = pr.merged_at;
  return [
    PullRequest.row({
      id: ids.pullRequest.generate(connectionId, pr.github_id ?? 0),
      base_repo_id: ids.repo.generate(connectionId, pr.repo_id ?? 0),
      head_repo_id: ids.repo.generate(connectionId, pr.head_repo_id ?? 0),
      original_status: pr.state ?? '',
      status: prStatus(pr.state ?? '', mergedAt),
      title: pr.title ?? '',
      url: pr.url ?? '',
      author_id: ids.account.generate(connectionId, pr.author_id ?? 0),
      author_name: pr.author_name ?? '',
      description: pr.body ?? '',
      created_date: pr.github_created_at,
      merged_date: mergedAt,
      closed_date: pr.closed_at,
      pull_request_key: pr.number ?? 0,
      type: pr.type ?? '',
      component: pr.component ?? '',
      merge_commit_sha: pr.merge_commit_sha ?? '',
      base_ref: pr.base_ref ?? '',
      base_commit_sha: pr.base_commit_sha ?? '',
      head_ref: pr.head_ref ?? '',
      head_commit_sha: pr.head_commit_sha ?? '',
      merged_by_name: pr.merged_by_name ?? '',
      merged_by_id: ids.account.generate(connectionId, pr.merged_by_id ?? 0),
      additions: pr.additions ?? 0,
      deletions: pr.deletions ?? 0,
      is_draft: pr.is_draft ?? false,
    }),
  ];
}

/** Convert Pull Requests: `_tool_github_pull_requests` → `pull_requests`. */
export const ConvertPullRequestsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Convert Pull Requests',
  enabledByDefault: true,
  description: 'Convert tool layer table github_pull_requests into domain layer table pull_requests',
  domainTypes: [DomainTypes.CROSS, DomainTypes.CODE_REVIEW],
  async entryPoint(ctx) {
    const data = ctx.getData();
    const { connectionId, githubId } = data.options;
    await convert<SelectRowOf<typeof GithubPullRequest>>(
      ctx,
      GithubPullRequest,
      RAW.pullRequests,
      [PullRequest],
      (db) => db('_tool_github_pull_requests').select('*').where({ repo_id: githubId, connection_id: connectionId }),
      ['connection_id', 'github_id'],
      (row) => convertPullRequest(row, data),
    );
  },
};
