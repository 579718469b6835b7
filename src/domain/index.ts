/**
 * DevLake's domain layer: table models, row types and migrations, for
 * converter authors (`import { Issue, type IssueRow } from 'devlake-ts'`).
 * Source: Apache DevLake commit 420e494b (see ./migrations.ts).
 */
export { domainMigrations, domainTables, domainTablesV1, domainTablesV2 } from './migrations';
export { COMMON, columnNames, type ColumnType, type DomainEntityRow, type DomainTableSpec, type NoPkModelRow } from './table-spec';
export * from './code';
export * from './ticket';
export * from './crossdomain';
export * from './devops';
