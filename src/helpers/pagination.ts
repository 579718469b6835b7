import { DevlakeError } from '../core/errors';
import type { ApiQuery } from './api-client';

/**
 * The pagination modes of ApiCollector and the pure rules behind them: the
 * pager a request sees, the default query of each mode, when a page is the
 * last, and RFC 8288 (5988) `Link` headers.
 */

/**
 * - `none`: one request (per input).
 * - `page`: `page=1,2,…` until a page is empty or shorter than `pageSize`.
 * - `totalPages`: page 1 tells how many pages there are (`getTotalPages`); the rest are fetched concurrently.
 * - `offset`: `offset=0,pageSize,…` until a short page.
 * - `cursor`: the next cursor/token comes from each response (`getNextCursor`) until there is none.
 * - `link`: the next URL comes from the `Link: <…>; rel="next"` response header.
 */
export type PaginationMode = 'none' | 'page' | 'totalPages' | 'offset' | 'cursor' | 'link';

export const PAGINATION_MODES: readonly PaginationMode[] = ['none', 'page', 'totalPages', 'offset', 'cursor', 'link'];

/** Where a request is in its pagination, as `query`, `header`, `requestBody` and the URL template see it (`{{pager.page}}`). */
export interface Pager {
  /** 1-based page number. */
  page: number;
  /** Records per page (`pageSize`). */
  size: number;
  /** Records before this page: `(page - 1) * size`. */
  skip: number;
  /** The cursor or next-page token (cursor mode); undefined on the first page. */
  cursor?: string;
}

/** A resumable position: what the next request of a unit is. Stored in checkpoints. */
export interface PagePosition {
  page: number;
  cursor?: string;
  /** Link mode: the absolute URL of the next page. */
  url?: string;
}

/** The pager of a position. */
export function pagerAt(pos: PagePosition, size: number): Pager {
  return { page: pos.page, size, skip: (pos.page - 1) * size, ...(pos.cursor !== undefined ? { cursor: pos.cursor } : {}) };
}

/** The query each mode sends when the collector has no `query()`. */
export function defaultQuery(mode: PaginationMode, pager: Pager): ApiQuery {
  switch (mode) {
    case 'page':
    case 'totalPages':
      return { page: pager.page, per_page: pager.size };
    case 'offset':
      return { offset: pager.skip, limit: pager.size };
    case 'cursor':
      return pager.cursor === undefined ? {} : { cursor: pager.cursor };
    case 'link':
      return { per_page: pager.size };
    case 'none':
      return {};
  }
}

/** The `rel="next"` target of a `Link` header, resolved against the request URL; undefined when there is none. */
export function nextLink(linkHeader: string | undefined, base: string): string | undefined {
  if (!linkHeader) return undefined;
  for (const part of linkHeader.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (!m) continue;
    const rels = /\brel\s*=\s*"?([^";]+)"?/i.exec(m[2]);
    if (rels && rels[1].toLowerCase().split(/\s+/).includes('next')) return new URL(m[1], base).toString();
  }
  return undefined;
}

/** Checks that a mode has what it needs; a mistake fails before any request with `DEVLAKE_E_API_CONFIG`. */
export function checkPagination(
  mode: string,
  has: { getTotalPages: boolean; getNextCursor: boolean },
  rawTable: string,
): asserts mode is PaginationMode {
  if (!(PAGINATION_MODES as readonly string[]).includes(mode)) {
    throw new DevlakeError('DEVLAKE_E_API_CONFIG', `Collector of ${rawTable}: unknown pagination "${mode}"`, {
      hint: `Use one of: ${PAGINATION_MODES.join(', ')}.`,
    });
  }
  if (mode === 'totalPages' && !has.getTotalPages) {
    throw new DevlakeError('DEVLAKE_E_API_CONFIG', `Collector of ${rawTable}: pagination "totalPages" needs getTotalPages(firstResponse)`, {
      hint: 'Add getTotalPages, e.g. (res) => res.json().total_pages',
    });
  }
  if (mode === 'cursor' && !has.getNextCursor) {
    throw new DevlakeError('DEVLAKE_E_API_CONFIG', `Collector of ${rawTable}: pagination "cursor" needs getNextCursor(response)`, {
      hint: 'Add getNextCursor, e.g. (res) => res.json().next_cursor',
    });
  }
}

/** Renders `{{params.name}}`, `{{input.number}}`, `{{pager.page}}`, `{{since}}`; a missing value fails with `DEVLAKE_E_API_CONFIG`. */
export function renderTemplate(template: string, data: Record<string, unknown>): string {
  return template.replace(/\{\{\s*([A-Za-z_$][\w$]*(?:\.[\w$]+)*)\s*\}\}/g, (_m, expr: string) => {
    let value: unknown = data;
    for (const key of expr.split('.')) value = value === null || value === undefined ? undefined : (value as Record<string, unknown>)[key];
    if (value === undefined || value === null || typeof value === 'object') {
      throw new DevlakeError('DEVLAKE_E_API_CONFIG', `URL template "${template}": {{${expr}}} has no value`, {
        hint: 'Use {{params.…}}, {{input.…}}, {{pager.page}}, {{pager.size}}, {{pager.skip}}, {{pager.cursor}} or {{since}} with a value that is set.',
        data: { template, expr },
      });
    }
    return String(value);
  });
}
