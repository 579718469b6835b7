import { DomainTypes } from 'devlake-ts';
import type { SelectRowOf, SubTaskMeta } from 'devlake-ts';
import { IssueComment } from './domain';
import { GithubIssueComment } from '../models';
import { RAW, convert, ids } from './shared';
import type { GithubTaskData } from './task-data';

/** Convert Issue Comments: comments of this repo's issues → `issue_comments`. */
export const ConvertIssueCommentsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Convert Issue Comments',
  enabledByDefault: true,
  description: 'Convert tool layer table github_issue_comments into domain layer table issue_comments',
  domainTypes: [DomainTypes.TICKET],
  async entryPoint(ctx) {
    const { connectionId, githubId } = ctx.getData().options;
    await convert<SelectRowOf<typeof GithubIssueComment>>(
      ctx,
      GithubIssueComment,
      RAW.comments,
      [IssueComment],
      (db) =>
        db('_tool_github_issue_comments as c')
          .select('c.*')
          .leftJoin('_tool_github_issues as i', 'i.github_id', 'c.issue_id')
          .where('i.repo_id', githubId)
          .andWhere('i.connection_id', connectionId),
      ['c.connection_id', 'c.github_id'],
      (row) => [
        IssueComment.row({
          id: ids.issue.generate(connectionId, row.github_id ?? 0),
          issue_id: ids.issue.generate(connectionId, row.issue_id ?? 0),
          body: row.body ?? '',
          account_id: ids.account.generate(connectionId, row.author_user_id ?? 0),
          created_date: row.github_created_at,
          updated_date: row.github_updated_at,
        }),
      ],
    );
  },
};
