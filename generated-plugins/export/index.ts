import { definePlugin, tablesMigration } from 'devlake-ts';
import { ExportState } from './models/export-state';
import { prepareTaskData, type ExportOptions, type ExportTaskData } from './task-data';
import { ExportTablesMeta } from './tasks/export-tables';

/**
 * The export plugin: copies DevLake domain tables to another database
 * (`--options '{"to":"postgres://…","tables":["issues","pull_requests"]}'`) or
 * writes them as JSON-lines/CSV files (`{"dir":"./out","format":"csv"}`),
 * incrementally by `updated_at` (`--full-sync` exports everything again),
 * atomically per table. Its one tool table keeps the watermark per target and table.
 */
export default definePlugin<ExportOptions, ExportTaskData>({
  name: 'export',
  description: 'copies domain tables to another database, or writes them as JSON-lines/CSV files, incrementally by updated_at',

  subTaskMetas() {
    return [ExportTablesMeta];
  },

  prepareTaskData,

  migrationScripts() {
    return [tablesMigration(20261203000001, 'add_export_state', [ExportState])];
  },

  getTablesInfo() {
    return [ExportState];
  },
});
