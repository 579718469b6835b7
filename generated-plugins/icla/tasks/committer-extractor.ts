import { ApiExtractor, defineSubTask, DomainTypes, type SubTaskContext } from 'devlake-ts';
import { IclaCommitter } from '../models/committer';
import type { IclaTaskData } from '../task-data';
import { RAW_COMMITTER_TABLE } from './committer-collector';

/** One record of `_raw_icla_committer`, as the collector stored it. */
interface CommitterRecord {
  user_name: string | number;
  name?: string | null;
}

export const ExtractCommitterMeta = defineSubTask<IclaTaskData>({
  name: 'Extract Committer',
  entryPoint: extractCommitter,
  enabledByDefault: true,
  description: 'Extract raw Committer data into tool layer table _tool_icla_committer',
  domainTypes: [DomainTypes.CROSS],
  dependencies: ['Collect Committer'],
});

/**
 * Reads `_raw_icla_committer` for this run's params and writes `_tool_icla_committer`.
 * Runs again on every extraction of the same params: old rows are replaced.
 */
export async function extractCommitter(ctx: SubTaskContext<IclaTaskData>): Promise<void> {
  const { params } = ctx.getData();
  await new ApiExtractor<CommitterRecord>({
    ctx,
    rawTable: RAW_COMMITTER_TABLE,
    params,
    outputs: [IclaCommitter],
    extract: (record) => [
      IclaCommitter.row({
        user_name: String(record.user_name),
        name: record.name ?? null,
      }),
    ],
  }).execute();
}
