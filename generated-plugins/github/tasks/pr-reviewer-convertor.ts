import { converter, DomainTypes, PullRequestReviewer } from 'devlake-ts';
import type { SelectRowOf } from 'devlake-ts';
import { GithubPullRequest, GithubReviewer } from '../models';
import { RAW, ids, ofRepo } from './shared';
import type { GithubTaskData } from '../task-data';

/**
 * Convert Reviews (DevLake's ConvertReviewsMeta, review_convertor.go): the
 * reviewers of this repo's PRs → `pull_request_reviewers`.
 */
export const ConvertReviewsMeta = converter<GithubTaskData, SelectRowOf<typeof GithubReviewer>>({
  entity: 'reviews',
  description: 'ConvertReviews data from Github api',
  domainTypes: [DomainTypes.CODE_REVIEW],
  rawTable: RAW.prReviews,
  from: GithubReviewer,
  where: (q, data) => q.whereIn('pull_request_id', (s) => s.select('github_id').from(GithubPullRequest.table).where(ofRepo(data))),
  outputs: [PullRequestReviewer],
  convert: (row, { data: { options } }) => [
    PullRequestReviewer.row({
      pull_request_id: ids.pullRequest.generate(options.connectionId, row.pull_request_id ?? 0),
      reviewer_id: ids.account.generate(options.connectionId, row.reviewer_id ?? 0),
      name: row.name ?? '',
      user_name: row.username ?? '',
    }),
  ],
});
