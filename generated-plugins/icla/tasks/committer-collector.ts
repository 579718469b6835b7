import { collector, DevlakeError, DomainTypes, type ApiResponse } from 'devlake-ts';
import type { IclaTaskData } from '../task-data';

/** The raw table this collector fills: one row per record, as JSON. */
export const RAW_COMMITTER_TABLE = '_raw_icla_committer';

/** The body of `public/icla-info.json`: apache id → full name. */
interface IclaInfo {
  last_updated?: string;
  committers: Record<string, string>;
}

/** One committer, as stored in `_raw_icla_committer`. */
export interface CommitterRecord {
  user_name: string;
  name: string;
}

/**
 * Turns the `committers` object into one record per committer, in id order,
 * so that every run stores the same rows.
 *
 * @example
 * // {"committers": {"alice": "Alice A."}} → [{ user_name: 'alice', name: 'Alice A.' }]
 */
export function parseCommitterResponse(res: ApiResponse): CommitterRecord[] {
  const body = res.json<IclaInfo>();
  if (!body || typeof body.committers !== 'object' || body.committers === null) {
    throw new DevlakeError('DEVLAKE_E_API_RESPONSE', `${res.url}: the response has no "committers" object`, {
      hint: 'Check ICLA_ENDPOINT: it must serve public/icla-info.json.',
    });
  }
  return Object.keys(body.committers)
    .sort()
    .map((user_name) => ({ user_name, name: String(body.committers[user_name]) }));
}

/**
 * `Collect Committer`: GETs `public/icla-info.json` and stores one raw row per
 * committer in `_raw_icla_committer` for this run's params. A full run replaces
 * the previous rows only once it completes; an interrupted run resumes where it stopped.
 */
export const CollectCommitterMeta = collector<IclaTaskData>({
  entity: 'committer',
  description: 'Collect committers from public/icla-info.json into _raw_icla_committer',
  domainTypes: [DomainTypes.CROSS],
  rawTable: RAW_COMMITTER_TABLE,
  urlTemplate: 'public/icla-info.json',
  responseParser: parseCommitterResponse,
});
