import { BoardIssue, converter, DomainTypes, Issue } from 'devlake-ts';
import type { SelectRowOf } from 'devlake-ts';
import { GithubIssue } from '../models';
import { RAW, ids, ofRepo } from './shared';
import type { GithubTaskData } from '../task-data';

/** Convert Issues: `_tool_github_issues` → `issues`, `board_issues`. */
export const ConvertIssuesMeta = converter<GithubTaskData, SelectRowOf<typeof GithubIssue>>({
  entity: 'issues',
  domainTypes: [DomainTypes.TICKET],
  rawTable: RAW.issues,
  from: GithubIssue,
  where: (q, data) => q.where(ofRepo(data)),
  outputs: [Issue, BoardIssue],
  convert: (issue, { data: { options } }) => {
    const { connectionId } = options;
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
        // DevLake: closed issues are DONE, every other state TODO.
        status: (issue.state ?? '').toUpperCase() === 'CLOSED' ? 'DONE' : 'TODO',
        assignee_name: issue.assignee_name ?? '',
        creator_name: issue.author_name ?? '',
        lead_time_minutes: issue.lead_time_minutes ?? null,
        url: issue.url ?? '',
        created_date: issue.github_created_at,
        updated_date: issue.github_updated_at,
        resolution_date: issue.closed_at,
        severity: issue.severity ?? '',
        component: issue.component ?? '',
        assignee_id: issue.assignee_id ? ids.account.generate(connectionId, issue.assignee_id) : '',
        creator_id: issue.author_id ? ids.account.generate(connectionId, issue.author_id) : '',
      }),
      BoardIssue.row({ board_id: ids.repo.generate(connectionId, options.githubId), issue_id: id }),
    ];
  },
});
