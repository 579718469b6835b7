import { DomainTypes, mappedExtractor, pick } from 'devlake-ts';
import { IclaCommitter } from '../models/committer';
import type { IclaTaskData } from '../task-data';
import { RAW_COMMITTER_TABLE } from './committer-collector';

/**
 * `Extract Committer`: reads `_raw_icla_committer` for this run's params and writes
 * `_tool_icla_committer`, one row per record (one `INSERT … SELECT`). Runs again on
 * every extraction of the same params: old rows are replaced.
 */
export const ExtractCommitterMeta = mappedExtractor<IclaTaskData, typeof IclaCommitter>({
  entity: 'committer',
  description: 'Extract raw committers into tool layer table _tool_icla_committer',
  domainTypes: [DomainTypes.CROSS],
  dependencies: ['Collect Committer'],
  rawTable: RAW_COMMITTER_TABLE,
  table: IclaCommitter,
  columns: {
    user_name: pick.asIs('user_name'),
    name: pick.asIs('name'),
  },
});
