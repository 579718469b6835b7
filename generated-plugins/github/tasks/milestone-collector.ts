import { DomainTypes } from 'devlake-ts';
import type { SubTaskMeta } from 'devlake-ts';
import { collect } from './collect';
import { RAW } from './shared';
import type { GithubTaskData } from './task-data';

/** Collect milestones into _raw_github_milestones */
export const CollectMilestonesMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Collect Milestones',
  enabledByDefault: true,
  description: 'Collect milestones into _raw_github_milestones',
  domainTypes: [DomainTypes.TICKET],
  async entryPoint(ctx) {
    await collect(ctx, {
      rawTable: RAW.milestones,
      urlTemplate: 'repos/{{params.Name}}/milestones',
      query: (pager) => ({ state: 'all', direction: 'asc', per_page: pager.size }),
    });
  },
};
