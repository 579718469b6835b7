import { DomainTypes } from 'devlake-ts';
import type { SubTaskMeta } from 'devlake-ts';
import { collect, streamInput } from './collect';
import { GithubRepoAccount } from '../models';
import { RAW } from './shared';
import type { GithubTaskData } from './task-data';

/** Collect Users: every account seen in the repo → `_raw_github_api_accounts` (input `{"Login"}`). */
export const CollectAccountsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Collect Users',
  enabledByDefault: true,
  description: 'Collect the profile of every account seen in the repo into _raw_github_api_accounts',
  domainTypes: [DomainTypes.CROSS],
  async entryPoint(ctx) {
    const { connectionId, githubId } = ctx.getData().options;
    await collect(ctx, {
      ignoreNotFound: true,
      rawTable: RAW.accounts,
      urlTemplate: 'users/{{input.Login}}',
      pagination: 'none',
      input: streamInput(
        ctx,
        GithubRepoAccount,
        (db) => db('_tool_github_repo_accounts').distinct('login').where({ connection_id: connectionId, repo_github_id: githubId }).whereNot('login', ''),
        ['login'],
        (r) => ({ Login: r.login ?? '' }),
      ),
    });
  },
};
