import { ApiCollector } from 'devlake-ts';
import type { ApiCollectorArgs, ApiResponse, SubTaskContext, TableSpec } from 'devlake-ts';
import { apiClientOf } from './api-client';
import type { GithubTaskData } from './task-data';

/** What a GitHub collector varies; the rest (client, params, Link paging) is common. */
export type GithubCollectArgs<TInput> = Omit<ApiCollectorArgs<unknown, TInput>, 'ctx' | 'apiClient' | 'params'>;

/**
 * Collects a GitHub REST listing into a raw table for the task's params
 * (`{"ConnectionId":…,"Name":…}`), following `Link: <…>; rel="next"` headers
 * (100 records per page) unless told otherwise.
 */
export async function collect<TInput = unknown>(ctx: SubTaskContext<GithubTaskData>, args: GithubCollectArgs<TInput>): Promise<void> {
  const data = ctx.getData();
  await new ApiCollector<unknown, TInput>({
    pagination: 'link',
    pageSize: 100,
    ...args,
    ctx,
    apiClient: apiClientOf(data),
    params: data.params,
  }).execute();
}

/** `since` for an incremental run, GitHub's ISO form, or nothing on a full run. */
export function sinceQuery(window: { since?: Date }): Record<string, string> {
  return window.since ? { since: window.since.toISOString().replace(/\.\d{3}Z$/, 'Z') } : {};
}

/** Records under `key` of a JSON object page (e.g. `workflow_runs` of /actions/runs). */
export function recordsUnder(key: string): (res: ApiResponse) => unknown[] {
  return (res) => {
    const body = res.json<Record<string, unknown>>();
    const v = body && typeof body === 'object' ? body[key] : undefined;
    return Array.isArray(v) ? v : [];
  };
}

/** Streams `(key…)` rows of a query on `from`, decoded by its columns, for child collections (each input is collected separately). */
export function streamInput<TTable extends { spec: TableSpec; $inferSelect: object }, T>(
  ctx: SubTaskContext<GithubTaskData>,
  from: TTable,
  query: Parameters<SubTaskContext['db']['stream']>[0],
  key: string[],
  map: (row: TTable['$inferSelect']) => T,
): AsyncIterable<T> {
  const rows = ctx.db.stream<TTable['$inferSelect'] & Record<string, unknown>>(query, { key, columns: from.spec.columns });
  return {
    async *[Symbol.asyncIterator]() {
      for await (const row of rows) yield map(row);
    },
  };
}
