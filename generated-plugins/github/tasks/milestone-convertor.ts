import { DomainTypes } from 'devlake-ts';
import type { SelectRowOf, SubTaskMeta } from 'devlake-ts';
import { BoardSprint, Sprint, SprintIssue } from './domain';
import { GithubIssue, GithubMilestone } from '../models';
import { RAW, convert, ids } from './shared';
import type { GithubTaskData } from './task-data';

/** Convert Milestones: milestones with their issues → `sprints`, `board_sprints`, `sprint_issues`. */
export const ConvertMilestonesMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Convert Milestones',
  enabledByDefault: true,
  description: 'Convert tool layer table github_milestones into domain layer table sprints',
  domainTypes: [DomainTypes.TICKET],
  async entryPoint(ctx) {
    const { connectionId, githubId } = ctx.getData().options;
    const boardId = ids.repo.generate(connectionId, githubId);
    await convert<SelectRowOf<typeof GithubMilestone> & { github_id: number }>(
      ctx,
      { spec: { ...GithubMilestone.spec, columns: { ...GithubMilestone.spec.columns, github_id: GithubIssue.spec.columns.github_id } } },
      RAW.milestones,
      [Sprint, BoardSprint, SprintIssue],
      (db) =>
        db('_tool_github_issues as gi')
          .select('gi.github_id', 'gm.*')
          .join('_tool_github_milestones as gm', 'gm.milestone_id', 'gi.milestone_id')
          .where('gm.repo_id', githubId)
          .andWhere('gm.connection_id', connectionId),
      ['gi.github_id'],
      (row) => {
        const sprintId = ids.milestone.generate(connectionId, row.milestone_id ?? 0);
        const closedAt = row.closed_at;
        return [
          Sprint.row({
            id: sprintId,
            name: row.title ?? '',
            url: row.url ?? '',
            status: row.state ?? '',
            started_date: row.github_created_at,
            ended_date: closedAt,
            completed_date: closedAt,
            original_board_id: boardId,
          }),
          SprintIssue.row({ sprint_id: sprintId, issue_id: ids.issue.generate(connectionId, row.github_id ?? 0) }),
          BoardSprint.row({ board_id: boardId, sprint_id: sprintId }),
        ];
      },
    );
  },
};
