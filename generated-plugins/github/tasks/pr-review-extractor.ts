import { DomainTypes } from 'devlake-ts';
import type { ModelRow, SubTaskMeta } from 'devlake-ts';
import { GithubPrReview, GithubRepoAccount, GithubReviewer } from '../models';
import { field, int, str, time } from 'devlake-ts/devlake';
import { isNotFound } from './pr-commit-extractor';
import { RAW, account, extract, repoAccount } from './shared';
import type { GithubTaskData } from './task-data';
import { shouldSkipByUsername } from './username-filter';

/** Tool rows for one raw PR review; pending reviews, reviews without a user and excluded users yield nothing. */
export function extractPrReview(record: unknown, rawText: string, input: unknown, data: GithubTaskData): ModelRow<any>[] {
  if (isNotFound(rawText)) return [];
  const state = str(field(record, 'state'));
  const user = account(record, 'user');
  if (state === 'PENDING' || !user) return [];
  if (shouldSkipByUsername(user.login)) return [];
  const pullRequestId = int(field(input, 'GithubId'));
  const { connectionId } = data.options;
  return [
    repoAccount(user, data),
    GithubReviewer.row({ connection_id: connectionId, pull_request_id: pullRequestId, reviewer_id: user.id ?? 0, username: user.login ?? '' }),
    GithubPrReview.row({
      connection_id: connectionId,
      github_id: int(field(record, 'id')),
      body: str(field(record, 'body')),
      state,
      commit_sha: str(field(record, 'commit_id')),
      github_submit_at: time(field(record, 'submitted_at')),
      pull_request_id: pullRequestId,
      author_user_id: user.id ?? 0,
      author_username: user.login ?? '',
    }),
  ];
}

/** Extract PR Reviews: `_raw_github_api_pull_request_reviews` → reviews, reviewers, repo accounts. */
export const ExtractApiPullRequestReviewsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Extract PR Reviews',
  enabledByDefault: true,
  description: 'Extract raw PullRequestReviewers data into tool layer table github_reviewers',
  domainTypes: [DomainTypes.CROSS, DomainTypes.CODE_REVIEW],
  async entryPoint(ctx) {
    const data = ctx.getData();
    await extract(ctx, RAW.prReviews, [GithubRepoAccount, GithubReviewer, GithubPrReview], (record, raw, text) =>
      extractPrReview(record, text, raw.inputJson, data),
    );
  },
};
