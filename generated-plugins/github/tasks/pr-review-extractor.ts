import { DomainTypes, mappedExtractor, pick } from 'devlake-ts';
import { GithubPrReview, GithubRepoAccount, GithubReviewer } from '../models';
import { field, int, str } from 'devlake-ts/devlake';
import { RAW, account, repoAccount } from './shared';
import type { GithubTaskData } from '../task-data';
import { shouldSkipByUsername } from './username-filter';

/**
 * Extract PR Reviews: `_raw_github_api_pull_request_reviews` → reviews,
 * reviewers, repo accounts. Pending reviews, reviews without a user, excluded
 * users and "Not Found" answers yield nothing.
 */
export const ExtractApiPullRequestReviewsMeta = mappedExtractor<GithubTaskData, typeof GithubPrReview>({
  entity: 'pr_reviews',
  name: 'Extract PR Reviews',
  description: 'Extract raw PullRequestReviewers data into tool layer table github_reviewers',
  domainTypes: [DomainTypes.CROSS, DomainTypes.CODE_REVIEW],
  rawTable: RAW.prReviews,
  table: GithubPrReview,
  columns: {
    connection_id: pick.param('ConnectionId'),
    github_id: pick.int('id', { nullAs: 0 }),
    body: pick.asIs('body', { nullAs: '' }),
    state: pick.asIs('state', { nullAs: '' }),
    commit_sha: pick.asIs('commit_id', { nullAs: '' }),
    github_submit_at: pick.time('submitted_at'),
    author_user_id: pick.int('user.id', { nullAs: 0 }),
    author_username: pick.asIs('user.login', { nullAs: '' }),
  },
  alsoWrites: [GithubReviewer, GithubRepoAccount],
  perRecord: (data) => (review, record, raw) => {
    const user = account(record, 'user');
    if (str(field(record, 'message')) === 'Not Found' || review.state === 'PENDING' || !user || shouldSkipByUsername(user.login)) return false;
    review.pull_request_id = int(field(raw.inputJson, 'GithubId'));
    const reviewer = { connection_id: data.options.connectionId, pull_request_id: review.pull_request_id, reviewer_id: user.id ?? 0, username: user.login ?? '' };
    return [repoAccount(user, data), GithubReviewer.row(reviewer)];
  },
});
