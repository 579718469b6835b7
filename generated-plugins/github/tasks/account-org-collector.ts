import { DomainTypes } from 'devlake-ts';
import type { SubTaskMeta } from 'devlake-ts';
import { collect, streamInput } from './collect';
import { GithubRepoAccount } from '../models';
import { RAW } from './shared';
import type { GithubTaskData } from './task-data';

/** Collect User Org: each collected user's orgs → `_raw_github_api_account_orgs`, one raw row per page (input `{"Login","AccountId"}`). */
export const CollectAccountOrgMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Collect User Org',
  enabledByDefault: true,
  description: 'Collect the organizations of every account into _raw_github_api_account_orgs',
  domainTypes: [DomainTypes.CROSS],
  async entryPoint(ctx) {
    const { connectionId, githubId } = ctx.getData().options;
    await collect(ctx, {
      ignoreNotFound: true,
      rawTable: RAW.accountOrgs,
      urlTemplate: 'users/{{input.Login}}/orgs',
      // The extractor reads each page (an array of orgs) as one record, as DevLake stores it.
      responseParser: (res) => (res.status === 404 ? [] : [res.json()]),
      pagination: 'none',
      query: () => ({ per_page: 100 }),
      input: streamInput(
        ctx,
        GithubRepoAccount,
        (db) =>
          db('_tool_github_repo_accounts')
            .select('account_id', 'login')
            .where({ connection_id: connectionId, repo_github_id: githubId })
            .whereNot('login', ''),
        ['account_id'],
        (r) => ({ Login: r.login ?? '', AccountId: r.account_id ?? 0 }),
      ),
    });
  },
};
