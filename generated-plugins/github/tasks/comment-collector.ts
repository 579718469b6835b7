import { DomainTypes } from 'devlake-ts';
import type { SubTaskMeta } from 'devlake-ts';
import { collect, sinceQuery } from './collect';
import { RAW } from './shared';
import type { GithubTaskData } from './task-data';

/** Collect issue and PR conversation comments into _raw_github_api_comments, incrementally by since */
export const CollectApiCommentsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Collect Comments',
  enabledByDefault: true,
  description: 'Collect issue and PR conversation comments into _raw_github_api_comments, incrementally by since',
  domainTypes: [DomainTypes.TICKET, DomainTypes.CODE_REVIEW],
  async entryPoint(ctx) {
    await collect(ctx, {
      rawTable: RAW.comments,
      urlTemplate: 'repos/{{params.Name}}/issues/comments',
      incremental: true,
      query: (pager, _input, window) => ({ direction: 'asc', per_page: pager.size, ...sinceQuery(window) }),
    });
  },
};
