import { DomainTypes } from 'devlake-ts';
import type { SubTaskMeta } from 'devlake-ts';
import { collect } from './collect';
import { prInputs } from './pr-inputs';
import { RAW } from './shared';
import type { GithubTaskData } from './task-data';

/** Collect PR Reviews: each extracted PR's reviews → `_raw_github_api_pull_request_reviews` (input `{"GithubId","Number"}`). */
export const CollectApiPullRequestReviewsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Collect PR Reviews',
  enabledByDefault: true,
  description: 'Collect the reviews of every pull request into _raw_github_api_pull_request_reviews',
  domainTypes: [DomainTypes.CODE_REVIEW],
  async entryPoint(ctx) {
    await collect(ctx, {
      ignoreNotFound: true,
      rawTable: RAW.prReviews,
      urlTemplate: 'repos/{{params.Name}}/pulls/{{input.Number}}/reviews',
      input: prInputs(ctx),
    });
  },
};
