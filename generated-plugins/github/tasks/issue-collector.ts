import { collector, DomainTypes } from 'devlake-ts';
import { sinceQuery } from './api-client';
import { RAW } from './shared';
import type { GithubTaskData } from '../task-data';

/** Collect Issues: issues (and PRs listed as issues) → `_raw_github_api_issues`, incrementally by `since`. */
export const CollectApiIssuesMeta = collector<GithubTaskData>({
  entity: 'issues',
  description: 'Collect issues (and PRs listed as issues) into _raw_github_api_issues, incrementally by since',
  domainTypes: [DomainTypes.TICKET],
  rawTable: RAW.issues,
  urlTemplate: 'repos/{{params.Name}}/issues',
  pagination: 'link',
  incremental: true,
  query: (pager, _input, window) => ({ state: 'all', direction: 'asc', per_page: pager.size, ...sinceQuery(window) }),
});
