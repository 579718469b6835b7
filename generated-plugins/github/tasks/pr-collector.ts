import { DomainTypes } from 'devlake-ts';
import type { SubTaskMeta } from 'devlake-ts';
import { collect } from './collect';
import { RAW } from './shared';
import type { GithubTaskData } from './task-data';

/** Collect pull requests into _raw_github_api_pull_requests */
export const CollectApiPullRequestsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Collect Pull Requests',
  enabledByDefault: true,
  description: 'Collect pull requests into _raw_github_api_pull_requests',
  domainTypes: [DomainTypes.CROSS, DomainTypes.CODE_REVIEW],
  async entryPoint(ctx) {
    // The pulls API has no since filter: every run lists them all.
    await collect(ctx, {
      rawTable: RAW.pullRequests,
      urlTemplate: 'repos/{{params.Name}}/pulls',
      query: (pager) => ({ state: 'all', direction: 'asc', per_page: pager.size }),
    });
  },
};
