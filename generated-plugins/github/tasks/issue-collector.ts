import { DomainTypes } from 'devlake-ts';
import type { SubTaskMeta } from 'devlake-ts';
import { collect, sinceQuery } from './collect';
import { RAW } from './shared';
import type { GithubTaskData } from './task-data';

/** Collect issues (and PRs listed as issues) into _raw_github_api_issues, incrementally by since */
export const CollectApiIssuesMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Collect Issues',
  enabledByDefault: true,
  description: 'Collect issues (and PRs listed as issues) into _raw_github_api_issues, incrementally by since',
  domainTypes: [DomainTypes.TICKET],
  async entryPoint(ctx) {
    await collect(ctx, {
      rawTable: RAW.issues,
      urlTemplate: 'repos/{{params.Name}}/issues',
      incremental: true,
      query: (pager, _input, window) => ({ state: 'all', direction: 'asc', per_page: pager.size, ...sinceQuery(window) }),
    });
  },
};
