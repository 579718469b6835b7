import { DomainTypes } from 'devlake-ts';
import type { ModelRow, Row, SubTaskMeta } from 'devlake-ts';
import { PullRequest } from './domain';
import { dbInt, dbStr, dbTime } from './db-values';
import { RAW, convert, ids } from './shared';
import type { GithubTaskData } from './task-data';

/** OPEN, MERGED (closed with a merge time) or CLOSED, as DevLake's PR status. */
export function prStatus(state: string, mergedAt: Date | null): string {
  if (state === 'open' || state === 'OPEN') return 'OPEN';
  if ((state === 'closed' && mergedAt !== null) || state === 'MERGED') return 'MERGED';
  return 'CLOSED';
}

/** The domain pull request for one tool pull request. */
export function convertPullRequest(pr: Row, data: GithubTaskData): ModelRow<any>[] {
  const { connectionId } = data.options;
  const mergedAt = dbTime(pr.merged_at);
  return [
    PullRequest.row({
      id: ids.pullRequest.generate(connectionId, dbInt(pr.github_id)),
      base_repo_id: ids.repo.generate(connectionId, dbInt(pr.repo_id)),
      head_repo_id: ids.repo.generate(connectionId, dbInt(pr.head_repo_id)),
      original_status: dbStr(pr.state),
      status: prStatus(dbStr(pr.state), mergedAt),
      title: dbStr(pr.title),
      url: dbStr(pr.url),
      author_id: ids.account.generate(connectionId, dbInt(pr.author_id)),
      author_name: dbStr(pr.author_name),
      description: dbStr(pr.body),
      created_date: dbTime(pr.github_created_at),
      merged_date: mergedAt,
      closed_date: dbTime(pr.closed_at),
      pull_request_key: dbInt(pr.number),
      type: dbStr(pr.type),
      component: dbStr(pr.component),
      merge_commit_sha: dbStr(pr.merge_commit_sha),
      base_ref: dbStr(pr.base_ref),
      base_commit_sha: dbStr(pr.base_commit_sha),
      head_ref: dbStr(pr.head_ref),
      head_commit_sha: dbStr(pr.head_commit_sha),
      merged_by_name: dbStr(pr.merged_by_name),
      merged_by_id: ids.account.generate(connectionId, dbInt(pr.merged_by_id)),
      additions: dbInt(pr.additions),
      deletions: dbInt(pr.deletions),
      is_draft: pr.is_draft === true || pr.is_draft === 1 || pr.is_draft === '1' || pr.is_draft === 't',
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
    await convert<Row>(
      ctx,
      RAW.pullRequests,
      [PullRequest],
      (db) => db('_tool_github_pull_requests').select('*').where({ repo_id: githubId, connection_id: connectionId }),
      ['connection_id', 'github_id'],
      (row) => convertPullRequest(row, data),
    );
  },
};
