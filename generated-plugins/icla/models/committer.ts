import { col, defineTable, rawDataOriginColumns, timestampColumns, type InsertRowOf, type SelectRowOf } from 'devlake-ts';

/** The `_tool_icla_committer` tool table: one Committer as the icla API describes it. */
export const IclaCommitter = defineTable('_tool_icla_committer', {
  user_name: col.string(255).primaryKey(),
  name: col.string(255),
  ...timestampColumns(),
  ...rawDataOriginColumns(),
});
export type IclaCommitterRow = InsertRowOf<typeof IclaCommitter>;
export type IclaCommitterRecord = SelectRowOf<typeof IclaCommitter>;
