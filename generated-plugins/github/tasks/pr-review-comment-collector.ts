import { collector, DomainTypes } from 'devlake-ts';
import { sinceQuery } from './api-client';
import { RAW } from './shared';
import type { GithubTaskData } from '../task-data';

/** Collect PR Review Comments: review (diff) comments → `_raw_github_api_pull_request_review_comments`, incrementally by `since`. */
export const CollectPrReviewCommentsMeta = collector<GithubTaskData>({
  entity: 'pull_request_review_comments',
  name: 'Collect PR Review Comments',
  description: 'Collect PR review (diff) comments into _raw_github_api_pull_request_review_comments, incrementally by since',
  domainTypes: [DomainTypes.CODE_REVIEW],
  rawTable: RAW.prReviewComments,
  urlTemplate: 'repos/{{params.Name}}/pulls/comments',
  pagination: 'link',
  incremental: true,
  query: (pager, _input, window) => ({ direction: 'asc', per_page: pager.size, ...sinceQuery(window) }),
});
