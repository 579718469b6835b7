import { Account, converter, DomainTypes, readRows } from 'devlake-ts';
import type { SelectRowOf } from 'devlake-ts';
import { GithubAccount, GithubAccountOrg, GithubRepoAccount } from '../models';
import { RAW, ids } from './shared';
import type { GithubTaskData } from '../task-data';

/** Org logins joined by ',' and cut to 255 bytes, as DevLake stores `accounts.organization`. */
export function organizationOf(orgs: string[]): string {
  const joined = orgs.join(',');
  const bytes = Buffer.from(joined, 'utf8');
  return bytes.length > 255 ? bytes.subarray(0, 255).toString('utf8') : joined;
}

/** Convert Users: accounts seen in this repo → `accounts`, with their orgs. */
export const ConvertAccountsMeta = converter<GithubTaskData, SelectRowOf<typeof GithubAccount>>({
  entity: 'users',
  domainTypes: [DomainTypes.CROSS],
  rawTable: RAW.accounts,
  from: GithubAccount,
  where: (q, { options }) =>
    q
      .where({ connection_id: options.connectionId })
      .whereIn('id', (s) => s.select('account_id').from(GithubRepoAccount.table).where({ connection_id: options.connectionId, repo_github_id: options.githubId })),
  outputs: [Account],
  async convert(account, { data, db }) {
    const query = db.knex(GithubAccountOrg.table).select('org_login').where({ connection_id: data.options.connectionId, account_id: account.id }).orderBy('org_id');
    const orgs = readRows<SelectRowOf<typeof GithubAccountOrg>>(db, await query, GithubAccountOrg);
    return [
      Account.row({
        id: ids.account.generate(data.options.connectionId, account.id ?? 0),
        email: account.email ?? '',
        full_name: account.name ?? '',
        user_name: account.login ?? '',
        avatar_url: account.avatar_url ?? '',
        organization: organizationOf(orgs.map((o) => o.org_login ?? '')),
      }),
    ];
  },
});
