import { ApiExtractor, defineSubTask, DomainTypes, type SubTaskContext } from 'devlake-ts';
import { IclaCommitter } from '../models/committer';
import type { IclaTaskData } from '../task-data';
import { RAW_COMMITTER_TABLE, type CommitterRecord } from './committer-collector';

export const ExtractCommitterMeta = defineSubTask<IclaTaskData>({
  name: 'Extract Committer',
  entryPoint: extractCommitter,
  enabledByDefault: true,
  description: 'Extract raw committers into tool layer table _tool_icla_committer',
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
        user_name: record.user_name,
        name: record.name,
      }),
    ],
  }).execute();
}
