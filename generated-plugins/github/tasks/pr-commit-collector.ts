import { DomainTypes } from 'devlake-ts';
import type { SubTaskMeta } from 'devlake-ts';
import { collect } from './collect';
import { prInputs } from './pr-inputs';
import { RAW } from './shared';
import type { GithubTaskData } from './task-data';

/** Collect PR Commits: each extracted PR's commits → `_raw_github_api_pull_request_commits` (input `{"GithubId","Number"}`). */
export const CollectApiPullRequestCommitsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Collect PR Commits',
  enabledByDefault: true,
  description: 'Collect the commits of every pull request into _raw_github_api_pull_request_commits',
  domainTypes: [DomainTypes.CROSS, DomainTypes.CODE_REVIEW],
  async entryPoint(ctx) {
    await collect(ctx, {
      ignoreNotFound: true,
      rawTable: RAW.prCommits,
      urlTemplate: 'repos/{{params.Name}}/pulls/{{input.Number}}/commits',
      input: prInputs(ctx),
    });
  },
};
