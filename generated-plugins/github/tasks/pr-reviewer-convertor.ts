import { DomainTypes, PullRequestReviewer } from 'devlake-ts';
import type { SelectRowOf, SubTaskMeta } from 'devlake-ts';
import { GithubReviewer } from '../models';
import { RAW, convert, ids } from './shared';
import type { GithubTaskData } from './task-data';

/**
 * Convert Reviews (DevLake's ConvertReviewsMeta, review_convertor.go): the
 * reviewers of this repo's PRs → `pull_request_reviewers`.
 */
export const ConvertReviewsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Convert Reviews',
  enabledByDefault: true,
  description: 'ConvertReviews data from Github api',
  domainTypes: [DomainTypes.CODE_REVIEW],
  async entryPoint(ctx) {
    const { connectionId, githubId } = ctx.getData().options;
    await convert<SelectRowOf<typeof GithubReviewer>>(
      ctx,
      GithubReviewer,
      RAW.prReviews,
      [PullRequestReviewer],
      (db) =>
        db('_tool_github_reviewers as r')
          .select('r.*')
          .leftJoin('_tool_github_pull_requests as p', 'p.github_id', 'r.pull_request_id')
          .where('p.repo_id', githubId)
          .andWhere('p.connection_id', connectionId),
      ['r.connection_id', 'r.reviewer_id', 'r.pull_request_id'],
      (row) => [
        PullRequestReviewer.row({
          pull_request_id: ids.pullRequest.generate(connectionId, row.pull_request_id ?? 0),
          reviewer_id: ids.account.generate(connectionId, row.reviewer_id ?? 0),
          name: row.name ?? '',
          user_name: row.username ?? '',
        }),
      ],
    );
  },
};
