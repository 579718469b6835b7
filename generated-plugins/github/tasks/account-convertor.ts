import { DomainTypes, readRows } from 'devlake-ts';
import type { ModelRow, SelectRowOf, SubTaskMeta } from 'devlake-ts';
import { GithubAccountOrg, GithubAccount } from '../models';
import { Account } from './domain';
import { RAW, convert, ids } from './shared';
import type { GithubTaskData } from './task-data';

/** Org logins joined by ',' and cut to 255 bytes, as DevLake stores `accounts.organization`. */
export function organizationOf(orgs: string[]): string {
  const joined = orgs.join(',');
  const bytes = Buffer.from(joined, 'utf8');
  return bytes.length > 255 ? bytes.subarray(0, 255).toString('utf8') : joined;
}

/** The domain account for one tool account. */
export function convertAccount(row: SelectRowOf<typeof GithubAccount>, orgs: string[], data: GithubTaskData): ModelRow<any>[] {
  return [
    Account.row({
      id: ids.account.generate(data.options.connectionId, row.id ?? 0),
      email: row.email ?? '',
      full_name: row.name ?? '',
      user_name: row.login ?? '',
      avatar_url: row.avatar_url ?? '',
      organization: organizationOf(orgs),
    }),
  ];
}

/** Convert Users: accounts seen in this repo → `accounts`, with their orgs. */
export const ConvertAccountsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Convert Users',
  enabledByDefault: true,
  description: 'Convert tool layer table github_accounts into domain layer table accounts',
  domainTypes: [DomainTypes.CROSS],
  async entryPoint(ctx) {
    const data = ctx.getData();
    const { connectionId, githubId } = data.options;
    // Orgs are read up front: the conversion runs in one transaction.
    const orgsByAccount = new Map<number, string[]>();
    const orgRows = readRows<SelectRowOf<typeof GithubAccountOrg>>(
      ctx.db,
      await ctx.db.knex(GithubAccountOrg.table).select('account_id', 'org_login').where({ connection_id: connectionId }).orderBy(['account_id', 'org_id']),
      GithubAccountOrg,
    );
    for (const o of orgRows) {
      const id = o.account_id ?? 0;
      const list = orgsByAccount.get(id) ?? [];
      list.push(o.org_login ?? '');
      orgsByAccount.set(id, list);
    }
    await convert<SelectRowOf<typeof GithubAccount>>(
      ctx,
      GithubAccount,
      RAW.accounts,
      [Account],
      (db) =>
        db('_tool_github_accounts as a')
          .select('a.*')
          .leftJoin('_tool_github_repo_accounts as gra', function () {
            this.on('a.connection_id', '=', 'gra.connection_id').andOn('a.id', '=', 'gra.account_id');
          })
          .where('gra.repo_github_id', githubId)
          .andWhere('a.connection_id', connectionId),
      ['a.id'],
      (row) => convertAccount(row, orgsByAccount.get(row.id ?? 0) ?? [], data),
    );
  },
};
