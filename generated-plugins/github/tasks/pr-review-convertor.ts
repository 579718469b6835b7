import { DomainTypes } from 'devlake-ts';
import type { SelectRowOf, SubTaskMeta } from 'devlake-ts';
import { PullRequestComment } from './domain';
import { GithubPrReview } from '../models';
import { RAW, convert, ids } from './shared';
import type { GithubTaskData } from './task-data';

/** Convert PR Reviews: reviews of this repo's PRs → `pull_request_comments` of type REVIEW. */
export const ConvertPullRequestReviewsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Convert PR Reviews',
  enabledByDefault: true,
  description: 'Convert tool layer table github_pull_request_reviews into domain layer table pull_request_comments',
  domainTypes: [DomainTypes.CODE_REVIEW],
  async entryPoint(ctx) {
    const { connectionId, githubId } = ctx.getData().options;
    await convert<SelectRowOf<typeof GithubPrReview>>(
      ctx,
      GithubPrReview,
      RAW.prReviews,
      [PullRequestComment],
      (db) =>
        db('_tool_github_pull_request_reviews as r')
          .select('r.*')
          .leftJoin('_tool_github_pull_requests as p', 'p.github_id', 'r.pull_request_id')
          .where('p.repo_id', githubId)
          .andWhere('p.connection_id', connectionId),
      ['r.connection_id', 'r.github_id'],
      (row) => [
        PullRequestComment.row({
          id: ids.prReview.generate(connectionId, row.github_id ?? 0),
          pull_request_id: ids.pullRequest.generate(connectionId, row.pull_request_id ?? 0),
          body: row.body ?? '',
          account_id: ids.account.generate(connectionId, row.author_user_id ?? 0),
          commit_sha: row.commit_sha ?? '',
          type: 'REVIEW',
          status: row.state ?? '',
          created_date: row.github_submit_at,
        }),
      ],
    );
  },
};
