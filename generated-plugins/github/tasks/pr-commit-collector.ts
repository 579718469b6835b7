import { collector, DomainTypes } from 'devlake-ts';
import { prInputs, type SimplePr } from './pr-inputs';
import { RAW } from './shared';
import type { GithubTaskData } from '../task-data';

/** Collect PR Commits: each extracted PR's commits → `_raw_github_api_pull_request_commits` (input `{"GithubId","Number"}`). */
export const CollectApiPullRequestCommitsMeta = collector<GithubTaskData, SimplePr>({
  entity: 'pull_request_commits',
  name: 'Collect PR Commits',
  description: 'Collect the commits of every pull request into _raw_github_api_pull_request_commits',
  domainTypes: [DomainTypes.CROSS, DomainTypes.CODE_REVIEW],
  rawTable: RAW.prCommits,
  urlTemplate: 'repos/{{params.Name}}/pulls/{{input.Number}}/commits',
  pagination: 'link',
  ignoreNotFound: true,
  input: prInputs,
});
