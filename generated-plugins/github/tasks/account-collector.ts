import { collector, DomainTypes, tableInput } from 'devlake-ts';
import { GithubRepoAccount } from '../models';
import { RAW } from './shared';
import type { GithubTaskData } from '../task-data';

/** Collect Users: every account seen in the repo → `_raw_github_api_accounts` (input `{"Login"}`). */
export const CollectAccountsMeta = collector<GithubTaskData, { Login: string }>({
  entity: 'users',
  description: 'Collect the profile of every account seen in the repo into _raw_github_api_accounts',
  domainTypes: [DomainTypes.CROSS],
  rawTable: RAW.accounts,
  urlTemplate: 'users/{{input.Login}}',
  ignoreNotFound: true,
  input: ({ db, data }) =>
    tableInput(
      db,
      GithubRepoAccount,
      (q) => q.distinct('login').where({ connection_id: data.options.connectionId, repo_github_id: data.options.githubId }).whereNot('login', ''),
      ['login'],
      (r) => ({ Login: r.login ?? '' }),
    ),
});
