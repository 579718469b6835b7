import { DomainTypes } from 'devlake-ts';
import type { Row, SubTaskMeta } from 'devlake-ts';
import { IssueAssignee } from './domain';
import { dbInt, dbStr } from './db-values';
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
    await convert<Row>(
      ctx,
      RAW.issues,
      [IssueAssignee],
      (db) => db('_tool_github_issue_assignees').select('*').where({ connection_id: connectionId, repo_id: githubId }),
      ['connection_id', 'issue_id', 'repo_id', 'assignee_id'],
      (row) => [
        IssueAssignee.row({
          issue_id: ids.issue.generate(connectionId, dbInt(row.issue_id)),
          assignee_id: ids.account.generate(connectionId, dbInt(row.assignee_id)),
          assignee_name: dbStr(row.assignee_name),
        }),
      ],
    );
  },
};
