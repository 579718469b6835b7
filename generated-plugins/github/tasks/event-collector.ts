import { DomainTypes } from 'devlake-ts';
import type { SubTaskMeta } from 'devlake-ts';
import { collect } from './collect';
import { RAW } from './shared';
import type { GithubTaskData } from './task-data';

/** Collect issue events into _raw_github_api_events */
export const CollectApiEventsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Collect Events',
  enabledByDefault: true,
  description: 'Collect issue events into _raw_github_api_events',
  domainTypes: [DomainTypes.TICKET],
  async entryPoint(ctx) {
    await collect(ctx, {
      rawTable: RAW.events,
      urlTemplate: 'repos/{{params.Name}}/issues/events',
      query: (pager) => ({ direction: 'asc', per_page: pager.size }),
    });
  },
};
