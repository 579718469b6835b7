import { collector, DomainTypes } from 'devlake-ts';
import { RAW } from './shared';
import type { GithubTaskData } from '../task-data';

/** Collect Milestones: open and closed milestones → `_raw_github_milestones`. */
export const CollectMilestonesMeta = collector<GithubTaskData>({
  entity: 'milestones',
  domainTypes: [DomainTypes.TICKET],
  rawTable: RAW.milestones,
  urlTemplate: 'repos/{{params.Name}}/milestones',
  pagination: 'link',
  query: (pager) => ({ state: 'all', direction: 'asc', per_page: pager.size }),
});
