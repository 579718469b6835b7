import { DomainTypes } from 'devlake-ts';
import type { ModelRow, Row, SubTaskMeta } from 'devlake-ts';
import { BoardIssue, Issue } from './domain';
import { dbInt, dbStr, dbTime } from './db-values';
import { RAW, convert, ids } from './shared';
import type { GithubTaskData } from './task-data';

/** The domain issue and its board link for one tool issue. */
export function convertIssue(issue: Row, data: GithubTaskData): ModelRow<any>[] {
  const { connectionId, githubId: repoId } = data.options;
  const assigneeId = dbInt(issue.assignee_id);
  const authorId = dbInt(issue.author_id);
  const id = ids.issue.generate(connectionId, dbInt(issue.github_id));
  return [
    Issue.row({
      id,
      issue_key: String(dbInt(issue.number)),
      title: dbStr(issue.title),
      description: dbStr(issue.body),
      priority: dbStr(issue.priority),
      type: dbStr(issue.std_type),
      original_type: dbStr(issue.type),
      original_status: dbStr(issue.state),
      assignee_name: dbStr(issue.assignee_name),
      creator_name: dbStr(issue.author_name),
      lead_time_minutes: issue.lead_time_minutes === null || issue.lead_time_minutes === undefined ? null : dbInt(issue.lead_time_minutes),
      url: dbStr(issue.url),
      created_date: dbTime(issue.github_created_at),
      updated_date: dbTime(issue.github_updated_at),
      resolution_date: dbTime(issue.closed_at),
      severity: dbStr(issue.severity),
      component: dbStr(issue.component),
      assignee_id: assigneeId !== 0 ? ids.account.generate(connectionId, assigneeId) : '',
      creator_id: authorId !== 0 ? ids.account.generate(connectionId, authorId) : '',
      status: dbStr(issue.state).toUpperCase() === 'CLOSED' ? 'DONE' : 'TODO',
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
    await convert<Row>(
      ctx,
      RAW.issues,
      [Issue, BoardIssue],
      (db) => db('_tool_github_issues').select('*').where({ repo_id: githubId, connection_id: connectionId }),
      ['connection_id', 'github_id'],
      (row) => convertIssue(row, data),
    );
  },
};
