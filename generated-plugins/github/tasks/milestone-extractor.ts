import { DomainTypes, mappedExtractor, pick } from 'devlake-ts';
import { GithubMilestone } from '../models';
import { RAW, repoIdRule } from './shared';
import type { GithubTaskData } from '../task-data';

/**
 * Extract Milestones: `_raw_github_milestones` → milestones, one row per raw
 * milestone. Declared: it runs as one INSERT … SELECT. Absent numbers and
 * strings are Go's zero values (`nullAs`), absent times NULL.
 */
export const ExtractMilestonesMeta = mappedExtractor<GithubTaskData, typeof GithubMilestone>({
  entity: 'milestones',
  rawTable: RAW.milestones,
  table: GithubMilestone,
  description: 'Extract raw milestone data into tool layer table github_milestones',
  domainTypes: [DomainTypes.TICKET],
  columns: {
    connection_id: pick.constant((data: GithubTaskData) => data.options.connectionId),
    milestone_id: pick.int('id', { nullAs: 0 }),
    repo_id: repoIdRule,
    number: pick.int('number', { nullAs: 0 }),
    url: pick.asIs('url', { nullAs: '' }),
    title: pick.asIs('title', { nullAs: '' }),
    open_issues: pick.int('open_issues', { nullAs: 0 }),
    closed_issues: pick.int('closed_issues', { nullAs: 0 }),
    state: pick.asIs('state', { nullAs: '' }),
    closed_at: pick.time('closed_at'),
    github_created_at: pick.time('created_at'),
    github_updated_at: pick.time('updated_at'),
  },
});
