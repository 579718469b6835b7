import { DomainTypes } from 'devlake-ts';
import type { ModelRow, SelectRowOf, SubTaskMeta } from 'devlake-ts';
import { BoardIssue, Issue } from './domain';
import { GithubIssue } from '../models';
import { RAW, convert, ids } from './shared';
import type { GithubTaskData } from './task-data';

/** The domain issue and its board link for one tool issue. */
export function convertIssue(issue: SelectRowOf<typeof GithubIssue>, data: GithubTaskData): ModelRow<any>[] {
  const { connectionId, githubId: repoId } = data.options;
  const assigneeId = issue.assignee_id ?? 0;
  const authorId = issue.author_id ?? 0;
  const id = ids.issue.generate(connectionId, issue.github_id ?? 0);
  return [
    Issue.row({
      id,
      issue_key: String(issue.number ?? 0),
      title: issue.title ?? '',
      description: issue.body ?? '',
      priority: issue.priority ?? '',
      type: issue.std_type ?? '',
      original_type: issue.type ?? '',
      original_status: issue.state ?? '',
      assignee_name: issue.assignee_name ?? '',
      creator_name: issue.author_name ?? '',
      lead_time_minutes: issue.lead_time_minutes === null || issue.lead_time_minutes === undefined ? null : issue.lead_time_minutes ?? 0,
      url: issue.url ?? '',
      created_date: issue.github_created_at,
      updated_date: issue.github_updated_at,
      resolution_date: issue.closed_at,
      severity: issue.severity ?? '',
      component: issue.component ?? '',
      assignee_id: assigneeId !== 0 ? ids.account.generate(connectionId, assigneeId) : '',
      creator_id: authorId !== 0 ? ids.account.generate(connectionId, authorId) : '',
      status: issue.state ?? ''.toUpperCase() === 'CLOSED' ? 'DONE' : 'TODO',
    }),
    BoardIssue.row({ board_id: ids.repo.generate(connectionId, repoId), issue_id: id }),
  ];
}

/** Convert Issues: `_tool_github_issues` → `issues`, `board_issues`. */
export const ConvertIssuesMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Convert Issues',
  enabledByDefault: true,
  description: 'Convert tool layer table github_issues into domain layer table issues',
  domainTypes: [DomainTypes.TICKET],
  async entryPoint(ctx) {
    const data = ctx.getData();
    const { connectionId, githubId } = data.options;
    await convert<SelectRowOf<typeof GithubIssue>>(
      ctx,
      GithubIssue,
      RAW.issues,
      [Issue, BoardIssue],
      (db) => db('_tool_github_issues').select('*').where({ repo_id: githubId, connection_id: connectionId }),
      ['connection_id', 'github_id'],
      (row) => convertIssue(row, data),
    );
  },
};
