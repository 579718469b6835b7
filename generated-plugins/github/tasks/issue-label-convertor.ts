import { DomainTypes } from 'devlake-ts';
import type { SelectRowOf, SubTaskMeta } from 'devlake-ts';
import { IssueLabel } from './domain';
import { GithubIssueLabel } from '../models';
import { RAW, convert, ids } from './shared';
import type { GithubTaskData } from './task-data';

/** Convert Issue Labels: labels of this repo's issues → `issue_labels`. */
export const ConvertIssueLabelsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Convert Issue Labels',
  enabledByDefault: true,
  description: 'Convert tool layer table github_issue_labels into domain layer table issue_labels',
  domainTypes: [DomainTypes.TICKET],
  async entryPoint(ctx) {
    const { connectionId, githubId } = ctx.getData().options;
    await convert<SelectRowOf<typeof GithubIssueLabel>>(
      ctx,
      GithubIssueLabel,
      RAW.issues,
      [IssueLabel],
      (db) =>
        db('_tool_github_issue_labels as il')
          .select('il.*')
          .leftJoin('_tool_github_issues as i', 'i.github_id', 'il.issue_id')
          .where('i.repo_id', githubId)
          .andWhere('i.connection_id', connectionId),
      ['il.connection_id', 'il.issue_id', 'il.label_name'],
      (row) => [IssueLabel.row({ issue_id: ids.issue.generate(connectionId, row.issue_id ?? 0), label_name: row.label_name ?? '' })],
    );
  },
};
