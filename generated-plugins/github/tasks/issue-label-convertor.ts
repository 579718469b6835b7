import { converter, DomainTypes, IssueLabel } from 'devlake-ts';
import type { SelectRowOf } from 'devlake-ts';
import { GithubIssue, GithubIssueLabel } from '../models';
import { RAW, ids, ofRepo } from './shared';
import type { GithubTaskData } from '../task-data';

/** Convert Issue Labels: labels of this repo's issues → `issue_labels`. */
export const ConvertIssueLabelsMeta = converter<GithubTaskData, SelectRowOf<typeof GithubIssueLabel>>({
  entity: 'issue_labels',
  domainTypes: [DomainTypes.TICKET],
  rawTable: RAW.issues,
  from: GithubIssueLabel,
  where: (q, data) => q.whereIn('issue_id', (s) => s.select('github_id').from(GithubIssue.table).where(ofRepo(data))),
  outputs: [IssueLabel],
  convert: (row, { data }) => [IssueLabel.row({ issue_id: ids.issue.generate(data.options.connectionId, row.issue_id ?? 0), label_name: row.label_name ?? '' })],
});
