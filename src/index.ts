/**
 * devlake-ts: the public API plugins import (`import { … } from 'devlake-ts'`).
 * Test helpers live in `devlake-ts/testing`.
 */
export * from './core/errors';
export * from './core/naming';
export * from './core/model';
export * from './core/table';
export * from './core/extract-mapping';
export * from './core/convert-mapping';
export * from './core/plugin';
export type { ConnectionAuth, ConnectionTestResult, PluginConnection, PluginConnectionTester } from './core/connection';
export type { Config } from './core/config';
export { mapConfig } from './core/config';
export type { Logger, LogLevel } from './core/logger';
export { memoryLogger, silentLogger } from './core/logger';
export type { SubTaskContext, TaskContext, SyncPolicy, HttpSettings } from './core/context';
export { redact, registerSecret } from './core/redact';
export type { Dal, Dialect, MigrationScript, UpsertOptions, StreamOptions } from './core/dal';
export type { RawRow } from './dal/raw-table';
export { ensureRawTable } from './dal/raw-table';
export { createDal } from './dal/connect';
export { createTable, tablesMigration } from './dal/table-ddl';
export { readRows } from './dal/decode';
export * from './helpers';
// The runner's --record/--replay, exported before it moved out of helpers/: kept for plugins that use it.
export * from './runner/record-replay';
export * from './dal/columns';
export * from './domain';
