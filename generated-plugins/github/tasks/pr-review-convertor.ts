import { converter, DomainTypes, PullRequestComment } from 'devlake-ts';
import type { SelectRowOf } from 'devlake-ts';
import { GithubPrReview, GithubPullRequest } from '../models';
import { RAW, ids, ofRepo } from './shared';
import type { GithubTaskData } from '../task-data';

/** Convert PR Reviews: reviews of this repo's PRs → `pull_request_comments` of type REVIEW. */
export const ConvertPullRequestReviewsMeta = converter<GithubTaskData, SelectRowOf<typeof GithubPrReview>>({
  entity: 'pull_request_reviews',
  name: 'Convert PR Reviews',
  domainTypes: [DomainTypes.CODE_REVIEW],
  rawTable: RAW.prReviews,
  from: GithubPrReview,
  where: (q, data) => q.whereIn('pull_request_id', (s) => s.select('github_id').from(GithubPullRequest.table).where(ofRepo(data))),
  outputs: [PullRequestComment],
  convert: (row, { data: { options } }) => [
    PullRequestComment.row({
      id: ids.prReview.generate(options.connectionId, row.github_id ?? 0),
      pull_request_id: ids.pullRequest.generate(options.connectionId, row.pull_request_id ?? 0),
      body: row.body ?? '',
      account_id: ids.account.generate(options.connectionId, row.author_user_id ?? 0),
      commit_sha: row.commit_sha ?? '',
      type: 'REVIEW',
      status: row.state ?? '',
      created_date: row.github_submit_at,
    }),
  ],
});
