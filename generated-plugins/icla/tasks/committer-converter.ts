import { Account, converter, DomainIdGenerator, DomainTypes } from 'devlake-ts';
import { IclaCommitter, type IclaCommitterRecord } from '../models/committer';
import type { IclaTaskData } from '../task-data';
import { RAW_COMMITTER_TABLE } from './committer-collector';

const idGen = new DomainIdGenerator('icla', 'IclaCommitter');

/**
 * `Convert Committer`: reads `_tool_icla_committer` rows of this run's params and writes domain
 * `accounts`, identified by `icla:IclaCommitter:<user_name>`. Runs again on every
 * conversion of the same params: the rows an earlier run wrote from `_raw_icla_committer` are replaced.
 */
export const ConvertCommitterMeta = converter<IclaTaskData, IclaCommitterRecord>({
  entity: 'committer',
  description: 'Convert tool layer table _tool_icla_committer into domain layer table accounts',
  dependencies: ['Extract Committer'],
  domainTypes: [DomainTypes.CROSS],
  rawTable: RAW_COMMITTER_TABLE,
  from: IclaCommitter,
  where: (q, data) => q.where('_raw_data_params', JSON.stringify(data.params)),
  outputs: [Account],
  convert: (row) => [Account.row({ id: idGen.generate(row.user_name), user_name: row.user_name, full_name: row.name })],
});
