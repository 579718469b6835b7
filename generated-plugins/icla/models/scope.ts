import { defineModel } from 'devlake-ts';

/** One scope icla has run for: a row of `_tool_icla_scopes`. */
export interface IclaScopeRow {
  /** The run's `scope` option: the `Scope` in the params of every raw, tool and domain row. */
  scope: string;
  /** When a run last started for this scope. */
  updated_at: Date;
}

/**
 * The scopes icla holds data for, as DevLake plugins keep theirs in the tool
 * layer: `prepareTaskData` records each run's scope. Created by the init migration.
 */
export const IclaScope = defineModel<IclaScopeRow>({
  table: '_tool_icla_scopes',
  primaryKey: ['scope'],
  columns: ['scope', 'created_at', 'updated_at'],
});
