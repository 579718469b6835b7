import { collector, DomainTypes, tableInput } from 'devlake-ts';
import { GithubRepoAccount } from '../models';
import { RAW } from './shared';
import type { GithubTaskData } from '../task-data';

/** Collect User Org: each collected user's orgs → `_raw_github_api_account_orgs`, one raw row per page (input `{"Login","AccountId"}`). */
export const CollectAccountOrgMeta = collector<GithubTaskData, { Login: string; AccountId: number }>({
  entity: 'user_org',
  description: 'Collect the organizations of every account into _raw_github_api_account_orgs',
  domainTypes: [DomainTypes.CROSS],
  rawTable: RAW.accountOrgs,
  urlTemplate: 'users/{{input.Login}}/orgs',
  query: () => ({ per_page: 100 }),
  // The extractor reads each page (an array of orgs) as one record, as DevLake stores it.
  responseParser: (res) => (res.status === 404 ? [] : [res.json()]),
  ignoreNotFound: true,
  input: ({ db, data }) =>
    tableInput(
      db,
      GithubRepoAccount,
      (q) => q.select('account_id', 'login').where({ connection_id: data.options.connectionId, repo_github_id: data.options.githubId }).whereNot('login', ''),
      ['account_id'],
      (r) => ({ Login: r.login ?? '', AccountId: r.account_id ?? 0 }),
    ),
});
