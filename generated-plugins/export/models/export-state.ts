import { col, defineTable } from 'devlake-ts';

/** Per target and table: the newest `updated_at` exported so far, the watermark of the next incremental export. */
export const ExportState = defineTable('_tool_export_state', {
  /** The target database URL (password masked) or the absolute output directory. */
  target: col.string(500).primaryKey(),
  table_name: col.string(255).primaryKey(),
  /** Newest `updated_at` exported; null for a table without `updated_at` (always exported whole). */
  watermark: col.datetime(),
  rows_exported: col.bigint(),
  exported_at: col.datetime(),
});
