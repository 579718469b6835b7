import { DomainTypes } from 'devlake-ts';
import type { ApiResponse, SubTaskMeta } from 'devlake-ts';
import { collect } from './collect';
import { field, time } from 'devlake-ts/devlake';
import { RAW } from './shared';
import type { GithubTaskData } from './task-data';

/** The `page` of the `rel="next"` target of GitHub's `Link` header, or null on the last page. */
export function nextPageOfLink(res: ApiResponse): string | null {
  for (const part of (res.headers.link ?? '').split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>\s*;.*\brel\s*=\s*"?next"?/i.exec(part);
    if (m) return new URL(m[1], res.url).searchParams.get('page');
  }
  return null;
}

/**
 * Collect pull requests into _raw_github_api_pull_requests. The pulls API has
 * no `since` filter, so PRs are listed most recently updated first (GitHub's
 * `Link` pages) and an incremental run stops at the first PR not updated since
 * the last success: the same effect as DevLake's collector for finalizable
 * entities (new PRs, then open ones re-read), with one listing.
 */
export const CollectApiPullRequestsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Collect Pull Requests',
  enabledByDefault: true,
  description: 'Collect pull requests into _raw_github_api_pull_requests, incrementally: listed by update time, newest first, until one older than since',
  domainTypes: [DomainTypes.CROSS, DomainTypes.CODE_REVIEW],
  async entryPoint(ctx) {
    let since: Date | undefined;
    // Records of the page that are older than since (set by the parser, read by getNextCursor).
    let olderSeen = false;
    await collect(ctx, {
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
    });
  },
};
