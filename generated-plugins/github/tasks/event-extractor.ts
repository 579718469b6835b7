import { DomainTypes, mappedExtractor, pick } from 'devlake-ts';
import { GithubIssueEvent, GithubRepoAccount } from '../models';
import { account, RAW, repoAccount } from './shared';
import type { GithubTaskData } from '../task-data';

/** Extract Events: `_raw_github_api_events` → issue events, repo accounts; events without an id or actor are skipped. */
export const ExtractApiEventsMeta = mappedExtractor<GithubTaskData, typeof GithubIssueEvent>({
  entity: 'events',
  description: 'Extract raw Events data into tool layer table github_issue_events',
  domainTypes: [DomainTypes.TICKET],
  rawTable: RAW.events,
  table: GithubIssueEvent,
  columns: {
    connection_id: pick.param('ConnectionId'),
    github_id: pick.int('id', { nullAs: 0 }),
    issue_id: pick.int('issue.id', { nullAs: 0 }),
    type: pick.asIs('event', { nullAs: '' }),
    author_username: pick.asIs('actor.login', { nullAs: '' }),
    github_created_at: pick.time('created_at'),
  },
  alsoWrites: [GithubRepoAccount],
  perRecord: (data) => (event, record) => {
    const actor = account(record, 'actor');
    return event.github_id !== 0 && actor ? [repoAccount(actor, data)] : false;
  },
});
