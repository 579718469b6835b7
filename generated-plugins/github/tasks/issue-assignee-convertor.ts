import { DomainTypes } from 'devlake-ts';
import type { SelectRowOf, SubTaskMeta } from 'devlake-ts';
import { IssueAssignee } from './domain';
import { GithubIssueAssignee } from '../models';
import { RAW, convert, ids } from './shared';
import type { GithubTaskData } from './task-data';

/** Convert Issue Assignees: `_tool_github_issue_assignees` of this repo → `issue_assignees`. */
export const ConvertIssueAssigneeMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Convert Issue Assignees',
  enabledByDefault: true,
  description: 'Convert tool layer table _tool_github_issue_assignees into domain layer table issue_assignees',
  domainTypes: [DomainTypes.TICKET],
  async entryPoint(ctx) {
    const { connectionId, githubId } = ctx.getData().options;
    await convert<SelectRowOf<typeof GithubIssueAssignee>>(
      ctx,
      GithubIssueAssignee,
      RAW.issues,
      [IssueAssignee],
      (db) => db('_tool_github_issue_assignees').select('*').where({ connection_id: connectionId, repo_id: githubId }),
      ['connection_id', 'issue_id', 'repo_id', 'assignee_id'],
      (row) => [
        IssueAssignee.row({
          issue_id: ids.issue.generate(connectionId, row.issue_id ?? 0),
          assignee_id: ids.account.generate(connectionId, row.assignee_id ?? 0),
          assignee_name: row.assignee_name ?? '',
        }),
      ],
    );
  },
};
