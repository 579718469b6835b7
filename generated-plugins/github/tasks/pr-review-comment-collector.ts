import { DomainTypes } from 'devlake-ts';
import type { SubTaskMeta } from 'devlake-ts';
import { collect, sinceQuery } from './collect';
import { RAW } from './shared';
import type { GithubTaskData } from './task-data';

/** Collect PR review (diff) comments into _raw_github_api_pull_request_review_comments, incrementally by since */
export const CollectPrReviewCommentsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Collect PR Review Comments',
  enabledByDefault: true,
  description: 'Collect PR review (diff) comments into _raw_github_api_pull_request_review_comments, incrementally by since',
  domainTypes: [DomainTypes.CODE_REVIEW],
  async entryPoint(ctx) {
    await collect(ctx, {
      rawTable: RAW.prReviewComments,
      urlTemplate: 'repos/{{params.Name}}/pulls/comments',
      incremental: true,
      query: (pager, _input, window) => ({ direction: 'asc', per_page: pager.size, ...sinceQuery(window) }),
    });
  },
};
