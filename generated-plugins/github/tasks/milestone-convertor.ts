import { BoardSprint, converter, DomainTypes, readRows, Sprint, SprintIssue } from 'devlake-ts';
import type { SelectRowOf } from 'devlake-ts';
import { GithubIssue, GithubMilestone } from '../models';
import { RAW, ids, ofRepo } from './shared';
import type { GithubTaskData } from '../task-data';

/** Convert Milestones: this repo's milestones that have issues → `sprints`, `board_sprints`, `sprint_issues`. */
export const ConvertMilestonesMeta = converter<GithubTaskData, SelectRowOf<typeof GithubMilestone>>({
  entity: 'milestones',
  domainTypes: [DomainTypes.TICKET],
  rawTable: RAW.milestones,
  from: GithubMilestone,
  where: (q, data) => q.where(ofRepo(data)),
  outputs: [Sprint, BoardSprint, SprintIssue],
  async convert(milestone, { data, db }) {
    const { connectionId, githubId } = data.options;
    // Every issue of the milestone, whatever its repo, as DevLake's join of issues and milestones.
    const query = db.knex(GithubIssue.table).select('github_id').where({ milestone_id: milestone.milestone_id }).orderBy('github_id');
    const issues = readRows<SelectRowOf<typeof GithubIssue>>(db, await query, GithubIssue);
    if (issues.length === 0) return [];
    const sprintId = ids.milestone.generate(connectionId, milestone.milestone_id ?? 0);
    const boardId = ids.repo.generate(connectionId, githubId);
    return [
      Sprint.row({
        id: sprintId,
        name: milestone.title ?? '',
        url: milestone.url ?? '',
        status: milestone.state ?? '',
        started_date: milestone.github_created_at,
        ended_date: milestone.closed_at,
        completed_date: milestone.closed_at,
        original_board_id: boardId,
      }),
      BoardSprint.row({ board_id: boardId, sprint_id: sprintId }),
      ...issues.map((i) => SprintIssue.row({ sprint_id: sprintId, issue_id: ids.issue.generate(connectionId, i.github_id ?? 0) })),
    ];
  },
});
