import { DomainTypes } from 'devlake-ts';
import type { ModelRow, Row, SubTaskMeta } from 'devlake-ts';
import { GithubAccountOrg } from '../models';
import { Account } from './domain';
import { dbInt, dbStr } from './db-values';
import { RAW, convert, ids } from './shared';
import type { GithubTaskData } from './task-data';

/** Org logins joined by ',' and cut to 255 bytes, as DevLake stores `accounts.organization`. */
export function organizationOf(orgs: string[]): string {
  const joined = orgs.join(',');
  const bytes = Buffer.from(joined, 'utf8');
  return bytes.length > 255 ? bytes.subarray(0, 255).toString('utf8') : joined;
}

/** The domain account for one tool account. */
export function convertAccount(row: Row, orgs: string[], data: GithubTaskData): ModelRow<any>[] {
  return [
    Account.row({
      id: ids.account.generate(data.options.connectionId, dbInt(row.id)),
      email: dbStr(row.email),
      full_name: dbStr(row.name),
      user_name: dbStr(row.login),
      avatar_url: dbStr(row.avatar_url),
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
    const orgRows = (await ctx.db
      .knex(GithubAccountOrg.table)
      .select('account_id', 'org_login')
      .where({ connection_id: connectionId })
      .orderBy(['account_id', 'org_id'])) as Row[];
    for (const o of orgRows) {
      const id = dbInt(o.account_id);
      const list = orgsByAccount.get(id) ?? [];
      list.push(dbStr(o.org_login));
      orgsByAccount.set(id, list);
    }
    await convert<Row>(
      ctx,
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
      (row) => convertAccount(row, orgsByAccount.get(dbInt(row.id)) ?? [], data),
    );
  },
};
