import { DomainTypes } from 'devlake-ts';
import type { Row, SubTaskMeta } from 'devlake-ts';
import { PullRequestComment } from './domain';
import { dbInt, dbStr, dbTime } from './db-values';
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
    await convert<Row>(
      ctx,
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
          id: ids.prComment.generate(connectionId, dbInt(row.github_id)),
          pull_request_id: ids.pullRequest.generate(connectionId, dbInt(row.pull_request_id)),
          body: dbStr(row.body),
          account_id: ids.account.generate(connectionId, dbInt(row.author_user_id)),
          created_date: dbTime(row.github_created_at),
          commit_sha: dbStr(row.commit_sha),
          review_id: ids.prReview.generate(connectionId, dbInt(row.review_id)),
          type: stdCommentType(dbStr(row.type)),
        }),
      ],
    );
  },
};
