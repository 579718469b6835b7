import { converter, DomainTypes, IssueAssignee } from 'devlake-ts';
import type { SelectRowOf } from 'devlake-ts';
import { GithubIssueAssignee } from '../models';
import { RAW, ids, ofRepo } from './shared';
import type { GithubTaskData } from '../task-data';

/** Convert Issue Assignees: `_tool_github_issue_assignees` of this repo → `issue_assignees`. */
export const ConvertIssueAssigneeMeta = converter<GithubTaskData, SelectRowOf<typeof GithubIssueAssignee>>({
  entity: 'issue_assignees',
  domainTypes: [DomainTypes.TICKET],
  rawTable: RAW.issues,
  from: GithubIssueAssignee,
  where: (q, data) => q.where(ofRepo(data)),
  outputs: [IssueAssignee],
  convert: (row, { data: { options } }) => [
    IssueAssignee.row({
      issue_id: ids.issue.generate(options.connectionId, row.issue_id ?? 0),
      assignee_id: ids.account.generate(options.connectionId, row.assignee_id ?? 0),
      assignee_name: row.assignee_name ?? '',
    }),
  ],
});
