import { collector, DomainTypes } from 'devlake-ts';
import { sinceQuery } from './api-client';
import { RAW } from './shared';
import type { GithubTaskData } from '../task-data';

/** Collect Comments: issue and PR conversation comments → `_raw_github_api_comments`, incrementally by `since`. */
export const CollectApiCommentsMeta = collector<GithubTaskData>({
  entity: 'comments',
  description: 'Collect issue and PR conversation comments into _raw_github_api_comments, incrementally by since',
  domainTypes: [DomainTypes.TICKET, DomainTypes.CODE_REVIEW],
  rawTable: RAW.comments,
  urlTemplate: 'repos/{{params.Name}}/issues/comments',
  pagination: 'link',
  incremental: true,
  query: (pager, _input, window) => ({ direction: 'asc', per_page: pager.size, ...sinceQuery(window) }),
});
