import { DomainTypes } from 'devlake-ts';
import type { SelectRowOf, SubTaskMeta } from 'devlake-ts';
import { PullRequestComment } from './domain';
import { GithubPrComment } from '../models';
import { RAW, convert, ids } from './shared';
import type { GithubTaskData } from './task-data';

/** DevLake's standard comment type for a GitHub comment type. */
export function stdCommentType(type: string): string {
  return type === 'DIFF' || type === 'REVIEW' || type === 'NORMAL' ? type : '';
}

/** Convert PR Comments: comments of this repo's PRs → `pull_request_comments`. */
export const ConvertPullRequestCommentsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Convert PR Comments',
  enabledByDefault: true,
  description: 'Convert tool layer table github_pull_request_comments into domain layer table pull_request_comments',
  domainTypes: [DomainTypes.CODE_REVIEW],
  async entryPoint(ctx) {
    const { connectionId, githubId } = ctx.getData().options;
    await convert<SelectRowOf<typeof GithubPrComment>>(
      ctx,
      GithubPrComment,
      RAW.comments,
      [PullRequestComment],
      (db) =>
        db('_tool_github_pull_request_comments as c')
          .select('c.*')
          .leftJoin('_tool_github_pull_requests as p', 'p.github_id', 'c.pull_request_id')
          .where('p.repo_id', githubId)
          .andWhere('p.connection_id', connectionId),
      ['c.connection_id', 'c.github_id'],
      (row) => [
        PullRequestComment.row({
          id: ids.prComment.generate(connectionId, row.github_id ?? 0),
          pull_request_id: ids.pullRequest.generate(connectionId, row.pull_request_id ?? 0),
          body: row.body ?? '',
          account_id: ids.account.generate(connectionId, row.author_user_id ?? 0),
          created_date: row.github_created_at,
          commit_sha: row.commit_sha ?? '',
          review_id: ids.prReview.generate(connectionId, row.review_id ?? 0),
          type: stdCommentType(row.type ?? ''),
        }),
      ],
    );
  },
};
