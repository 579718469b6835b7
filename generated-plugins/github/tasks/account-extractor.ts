import { DomainTypes, mappedExtractor, pick } from 'devlake-ts';
import { GithubAccount } from '../models';
import { RAW } from './shared';
import type { GithubTaskData } from '../task-data';

/** Extract Users: `_raw_github_api_accounts` (GET /users/:login) → accounts; a user without an id is skipped. */
export const ExtractAccountsMeta = mappedExtractor<GithubTaskData, typeof GithubAccount>({
  entity: 'accounts',
  name: 'Extract Users',
  description: 'Extract raw account data into tool layer table github_accounts',
  domainTypes: [DomainTypes.CROSS],
  rawTable: RAW.accounts,
  table: GithubAccount,
  columns: {
    connection_id: pick.param('ConnectionId'),
    id: pick.int('id', { nullAs: 0 }),
    login: pick.asIs('login', { nullAs: '' }),
    name: pick.asIs('name', { nullAs: '' }),
    company: pick.asIs('company', { nullAs: '' }),
    email: pick.asIs('email', { nullAs: '' }),
    avatar_url: pick.asIs('avatar_url', { nullAs: '' }),
    url: pick.asIs('url', { nullAs: '' }),
    html_url: pick.asIs('html_url', { nullAs: '' }),
    type: pick.asIs('type', { nullAs: '' }),
  },
  perRecord: () => (account) => (account.id === 0 ? false : undefined),
});
