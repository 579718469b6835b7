import { converter, DomainTypes, PullRequestComment } from 'devlake-ts';
import type { SelectRowOf } from 'devlake-ts';
import { GithubPrComment, GithubPullRequest } from '../models';
import { RAW, ids, ofRepo } from './shared';
import type { GithubTaskData } from '../task-data';

/** DevLake's standard comment type for a GitHub comment type. */
export function stdCommentType(type: string): string {
  return type === 'DIFF' || type === 'REVIEW' || type === 'NORMAL' ? type : '';
}

/** Convert PR Comments: comments of this repo's PRs → `pull_request_comments`. */
export const ConvertPullRequestCommentsMeta = converter<GithubTaskData, SelectRowOf<typeof GithubPrComment>>({
  entity: 'pull_request_comments',
  name: 'Convert PR Comments',
  domainTypes: [DomainTypes.CODE_REVIEW],
  rawTable: RAW.comments,
  from: GithubPrComment,
  where: (q, data) => q.whereIn('pull_request_id', (s) => s.select('github_id').from(GithubPullRequest.table).where(ofRepo(data))),
  outputs: [PullRequestComment],
  convert: (row, { data: { options } }) => [
    PullRequestComment.row({
      id: ids.prComment.generate(options.connectionId, row.github_id ?? 0),
      pull_request_id: ids.pullRequest.generate(options.connectionId, row.pull_request_id ?? 0),
      body: row.body ?? '',
      account_id: ids.account.generate(options.connectionId, row.author_user_id ?? 0),
      created_date: row.github_created_at,
      commit_sha: row.commit_sha ?? '',
      review_id: ids.prReview.generate(options.connectionId, row.review_id ?? 0),
      type: stdCommentType(row.type ?? ''),
    }),
  ],
});
