import { ApiCollector, DevlakeError, DomainTypes } from 'devlake-ts';
import type { SubTaskMeta } from 'devlake-ts';
import { field, time } from 'devlake-ts/devlake';
import { nextPageOfLink } from './api-client';
import { RAW } from './shared';
import type { GithubTaskData } from '../task-data';

/**
 * Collect pull requests into _raw_github_api_pull_requests. The pulls API has
 * no `since` filter, so PRs are listed most recently updated first (GitHub's
 * `Link` pages) and an incremental run stops at the first PR not updated since
 * the last success: the same effect as DevLake's collector for finalizable
 * entities (new PRs, then open ones re-read), with one listing. Not on the
 * `collector` factory: its parser and cursor share per-run state.
 */
export const CollectApiPullRequestsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Collect Pull Requests',
  enabledByDefault: true,
  description: 'Collect pull requests into _raw_github_api_pull_requests, incrementally: listed by update time, newest first, until one older than since',
  domainTypes: [DomainTypes.CROSS, DomainTypes.CODE_REVIEW],
  async entryPoint(ctx) {
    const { apiClient, params } = ctx.getData();
    if (!apiClient) throw new DevlakeError('DEVLAKE_E_API_CONFIG', `${ctx.name}: the task data has no API client`, { hint: "Build the task data with the plugin's prepareTaskData." });
    let since: Date | undefined;
    // Records of the page that are older than since (set by the parser, read by getNextCursor).
    let olderSeen = false;
    await new ApiCollector({
      ctx,
      apiClient,
      params,
      rawTable: RAW.pullRequests,
      urlTemplate: 'repos/{{params.Name}}/pulls',
      incremental: true,
      // Cursor = the next page number named by the Link header, so paging can stop early.
      pagination: 'cursor',
      query: (pager, _input, window) => {
        since = window.since;
        return { state: 'all', sort: 'updated', direction: 'desc', per_page: pager.size, page: pager.cursor ?? 1 };
      },
      responseParser: (res) => {
        const page = res.json<unknown>();
        const all = Array.isArray(page) ? page : [];
        if (!since) return all;
        const fresh = all.filter((pr) => (time(field(pr, 'updated_at'))?.getTime() ?? Infinity) >= since!.getTime());
        olderSeen = fresh.length < all.length;
        return fresh;
      },
      getNextCursor: (res) => (olderSeen ? null : nextPageOfLink(res)),
    }).execute();
  },
};
