import { col, defineTable, timestampColumns, type InsertRowOf } from 'devlake-ts';

/**
 * The scopes icla holds data for, as DevLake plugins keep theirs in the tool
 * layer: `prepareTaskData` records each run's scope (the `Scope` in the params
 * of every raw, tool and domain row) and when a run last started for it.
 */
export const IclaScope = defineTable('_tool_icla_scopes', {
  scope: col.string(255).primaryKey(),
  ...timestampColumns(),
});
export type IclaScopeRow = InsertRowOf<typeof IclaScope>;
