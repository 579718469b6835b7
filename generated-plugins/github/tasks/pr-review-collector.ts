import { collector, DomainTypes } from 'devlake-ts';
import { prInputs, type SimplePr } from './pr-inputs';
import { RAW } from './shared';
import type { GithubTaskData } from '../task-data';

/** Collect PR Reviews: each extracted PR's reviews → `_raw_github_api_pull_request_reviews` (input `{"GithubId","Number"}`). */
export const CollectApiPullRequestReviewsMeta = collector<GithubTaskData, SimplePr>({
  entity: 'pull_request_reviews',
  name: 'Collect PR Reviews',
  description: 'Collect the reviews of every pull request into _raw_github_api_pull_request_reviews',
  domainTypes: [DomainTypes.CODE_REVIEW],
  rawTable: RAW.prReviews,
  urlTemplate: 'repos/{{params.Name}}/pulls/{{input.Number}}/reviews',
  pagination: 'link',
  ignoreNotFound: true,
  input: prInputs,
});
