import { defineModel, type RawDataOrigin } from 'devlake-ts';

/** One Committer as the icla API describes it: a row of `_tool_icla_committer`. */
export interface IclaCommitterRow extends RawDataOrigin {
  user_name: string;
  name: string | null;
}

/** The `_tool_icla_committer` tool table; created by migrations/20261125124205-add-committer-table.ts. */
export const IclaCommitter = defineModel<IclaCommitterRow>({
  table: '_tool_icla_committer',
  primaryKey: ['user_name'],
  columns: ['user_name', 'name'],
});
