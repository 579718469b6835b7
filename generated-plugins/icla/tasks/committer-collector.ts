import { ApiCollector, defineSubTask, DomainTypes, type ApiResponse, type SubTaskContext } from 'devlake-ts';
import type { IclaTaskData } from '../task-data';

/** The raw table this collector fills: one row per record, as JSON. */
export const RAW_COMMITTER_TABLE = '_raw_icla_committer';

export const CollectCommitterMeta = defineSubTask<IclaTaskData>({
  name: 'Collect Committer',
  entryPoint: collectCommitter,
  enabledByDefault: true,
  description: 'Collect Committer data from the icla API into _raw_icla_committer',
  domainTypes: [DomainTypes.CROSS],
});

/**
 * Implement to turn one response into records; each becomes one raw row of
 * `_raw_icla_committer`. Default here: the body when it is an array, else the body itself.
 *
 * @example
 * (res) => res.json<{ items: unknown[] }>().items
 */
export function parseCommitterResponse(res: ApiResponse): unknown[] {
  const body = res.json<unknown>();
  return Array.isArray(body) ? body : [body];
}

/**
 * GETs `public/icla-info.json` and stores the records in
 * `_raw_icla_committer` for this run's params. A full run replaces the previous rows
 * only once it completes; an interrupted run resumes where it stopped.
 */
export async function collectCommitter(ctx: SubTaskContext<IclaTaskData>): Promise<void> {
  const { apiClient, params } = ctx.getData();
  await new ApiCollector({
    ctx,
    apiClient,
    rawTable: RAW_COMMITTER_TABLE,
    params,
    urlTemplate: 'public/icla-info.json',
    responseParser: parseCommitterResponse,
  }).execute();
}
