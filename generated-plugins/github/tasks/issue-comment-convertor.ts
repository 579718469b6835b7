import { converter, DomainTypes, IssueComment } from 'devlake-ts';
import type { SelectRowOf } from 'devlake-ts';
import { GithubIssue, GithubIssueComment } from '../models';
import { RAW, ids, ofRepo } from './shared';
import type { GithubTaskData } from '../task-data';

/** Convert Issue Comments: comments of this repo's issues → `issue_comments`. */
export const ConvertIssueCommentsMeta = converter<GithubTaskData, SelectRowOf<typeof GithubIssueComment>>({
  entity: 'issue_comments',
  domainTypes: [DomainTypes.TICKET],
  rawTable: RAW.comments,
  from: GithubIssueComment,
  where: (q, data) => q.whereIn('issue_id', (s) => s.select('github_id').from(GithubIssue.table).where(ofRepo(data))),
  outputs: [IssueComment],
  convert: (row, { data: { options } }) => [
    IssueComment.row({
      id: ids.issue.generate(options.connectionId, row.github_id ?? 0),
      issue_id: ids.issue.generate(options.connectionId, row.issue_id ?? 0),
      body: row.body ?? '',
      account_id: ids.account.generate(options.connectionId, row.author_user_id ?? 0),
      created_date: row.github_created_at,
      updated_date: row.github_updated_at,
    }),
  ],
});
