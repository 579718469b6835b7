import { DomainTypes } from 'devlake-ts';
import type { ModelRow, SubTaskMeta } from 'devlake-ts';
import { GithubMilestone } from '../models';
import { field, int, str, time } from 'devlake-ts/devlake';
import { RAW, extract } from './shared';
import type { GithubTaskData } from './task-data';

/** The tool row for one raw milestone. */
export function extractMilestone(record: unknown, data: GithubTaskData): ModelRow<any>[] {
  return [
    GithubMilestone.row({
      connection_id: data.options.connectionId,
      milestone_id: int(field(record, 'id')),
      repo_id: data.options.githubId,
      number: int(field(record, 'number')),
      url: str(field(record, 'url')),
      title: str(field(record, 'title')),
      open_issues: int(field(record, 'open_issues')),
      closed_issues: int(field(record, 'closed_issues')),
      state: str(field(record, 'state')),
      closed_at: time(field(record, 'closed_at')),
      github_created_at: time(field(record, 'created_at')),
      github_updated_at: time(field(record, 'updated_at')),
    }),
  ];
}

/** Extract Milestones: `_raw_github_milestones` → milestones. */
export const ExtractMilestonesMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Extract Milestones',
  enabledByDefault: true,
  description: 'Extract raw milestone data into tool layer table github_milestones',
  domainTypes: [DomainTypes.TICKET],
  async entryPoint(ctx) {
    const data = ctx.getData();
    await extract(ctx, RAW.milestones, [GithubMilestone], (record) => extractMilestone(record, data));
  },
};
