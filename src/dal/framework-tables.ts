/**
 * The tables devlake-ts itself owns. Their names start with `_devlake_ts_`,
 * which Apache DevLake never uses, so devlake-ts can share a database with
 * DevLake (whose framework tables are `_devlake_*`, listed in
 * ../shared/devlake-schema/framework.json) without touching its tables.
 */
export const FRAMEWORK_TABLES = Object.freeze({
  migrationHistory: '_devlake_ts_migration_history',
  pipelines: '_devlake_ts_pipelines',
  tasks: '_devlake_ts_tasks',
  subtasks: '_devlake_ts_subtasks',
  collectorState: '_devlake_ts_collector_latest_state',
  rawStaging: '_devlake_ts_raw_staging',
  locks: '_devlake_ts_locks',
} as const);

/**
 * The names the same tables had before (until 2026-12), shared with DevLake:
 * a database that still has them, with devlake-ts's columns, is upgraded by
 * the migrator (see legacy-tables.ts), rows and all.
 */
export const LEGACY_TABLE_NAMES: Readonly<Record<string, string>> = Object.freeze({
  _devlake_migration_history: FRAMEWORK_TABLES.migrationHistory,
  _devlake_pipelines: FRAMEWORK_TABLES.pipelines,
  _devlake_tasks: FRAMEWORK_TABLES.tasks,
  _devlake_subtasks: FRAMEWORK_TABLES.subtasks,
  _devlake_collector_latest_state: FRAMEWORK_TABLES.collectorState,
  _devlake_raw_staging: FRAMEWORK_TABLES.rawStaging,
});
