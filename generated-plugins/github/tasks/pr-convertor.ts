import { converter, DomainTypes, PullRequest } from 'devlake-ts';
import type { SelectRowOf } from 'devlake-ts';
import { GithubPullRequest } from '../models';
import { RAW, ids, ofRepo } from './shared';
import type { GithubTaskData } from '../task-data';

/** OPEN, MERGED (closed with a merge time) or CLOSED, as DevLake's PR status. */
export function prStatus(state: string, mergedAt: Date | null): string {
  if (state === 'open' || state === 'OPEN') return 'OPEN';
  if ((state === 'closed' && mergedAt !== null) || state === 'MERGED') return 'MERGED';
  return 'CLOSED';
}

/** Convert Pull Requests: `_tool_github_pull_requests` → `pull_requests`. */
export const ConvertPullRequestsMeta = converter<GithubTaskData, SelectRowOf<typeof GithubPullRequest>>({
  entity: 'pull_requests',
  domainTypes: [DomainTypes.CROSS, DomainTypes.CODE_REVIEW],
  rawTable: RAW.pullRequests,
  from: GithubPullRequest,
  where: (q, data) => q.where(ofRepo(data)),
  outputs: [PullRequest],
  convert: (pr, { data: { options } }) => [
    PullRequest.row({
      id: ids.pullRequest.generate(options.connectionId, pr.github_id ?? 0),
      base_repo_id: ids.repo.generate(options.connectionId, pr.repo_id ?? 0),
      head_repo_id: ids.repo.generate(options.connectionId, pr.head_repo_id ?? 0),
      original_status: pr.state ?? '',
      status: prStatus(pr.state ?? '', pr.merged_at),
      title: pr.title ?? '',
      url: pr.url ?? '',
      author_id: ids.account.generate(options.connectionId, pr.author_id ?? 0),
      author_name: pr.author_name ?? '',
      description: pr.body ?? '',
      created_date: pr.github_created_at,
      merged_date: pr.merged_at,
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
      merged_by_id: ids.account.generate(options.connectionId, pr.merged_by_id ?? 0),
      additions: pr.additions ?? 0,
      deletions: pr.deletions ?? 0,
      is_draft: pr.is_draft ?? false,
    }),
  ],
});
