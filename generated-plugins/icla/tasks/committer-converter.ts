import { Account, DataConverter, defineSubTask, DomainIdGenerator, DomainTypes, type SubTaskContext } from 'devlake-ts';
import { IclaCommitter, type IclaCommitterRecord } from '../models/committer';
import type { IclaTaskData } from '../task-data';
import { RAW_COMMITTER_TABLE } from './committer-collector';

export const ConvertCommitterMeta = defineSubTask<IclaTaskData>({
  name: 'Convert Committer',
  entryPoint: convertCommitter,
  enabledByDefault: true,
  description: 'Convert tool layer table _tool_icla_committer into domain layer table accounts',
  dependencies: ['Extract Committer'],
  domainTypes: [DomainTypes.CROSS],
});

/**
 * Reads `_tool_icla_committer` rows of this run's params and writes domain `accounts`
 * with ids `icla:IclaCommitter:<user_name>`. Runs again on every
 * conversion of the same params: old rows are replaced.
 */
export async function convertCommitter(ctx: SubTaskContext<IclaTaskData>): Promise<void> {
  const { params } = ctx.getData();
  const idGen = new DomainIdGenerator('icla', 'IclaCommitter');
  await new DataConverter<IclaCommitterRecord>({
    ctx,
    rawTable: RAW_COMMITTER_TABLE,
    params,
    input: (db) => db(IclaCommitter.table).select('*').where('_raw_data_params', JSON.stringify(params)),
    inputKey: ['user_name'],
    inputColumns: IclaCommitter.spec.columns,
    outputs: [Account],
    convert: (row) => [
      Account.row({
        id: idGen.generate(row.user_name),
        user_name: row.user_name,
        full_name: row.name,
      }),
    ],
  }).execute();
}
