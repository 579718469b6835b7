import { collector, DomainTypes } from 'devlake-ts';
import { RAW } from './shared';
import type { GithubTaskData } from '../task-data';

/** Collect Events: issue events → `_raw_github_api_events`. */
export const CollectApiEventsMeta = collector<GithubTaskData>({
  entity: 'events',
  domainTypes: [DomainTypes.TICKET],
  rawTable: RAW.events,
  urlTemplate: 'repos/{{params.Name}}/issues/events',
  pagination: 'link',
  query: (pager) => ({ direction: 'asc', per_page: pager.size }),
});
