/**
 * DevLake's domain layer: table models, row types and migrations, for
 * converter authors (`import { Issue, type IssueRow } from 'devlake-ts'`).
 * Source: Apache DevLake commit 420e494b (see ./migrations.ts).
 */
export { calendarMonthsTable, domainMigrations, domainTables, domainTablesV1, domainTablesV2, domainTablesV3, widenedColumnsV3 } from './migrations';
export { calendarMonthRows } from './calendar-months';
export { domainTablesInDevlake } from './devlake-owned';
export { GO_ZERO_TIME, zeroValuesOf } from './zero-values';
export { goPointerColumns } from './go-pointers';
export { COMMON, columnNames, type ColumnType, type DomainEntityRow, type DomainTableSpec, type NoPkModelRow } from './table-spec';
export * from './code';
export * from './ticket';
export * from './crossdomain';
export * from './devops';
export * from './code-v3';
export * from './ticket-v3';
export * from './crossdomain-v3';
export * from './devops-v3';
export * from './codequality';
export * from './qa';
export { Project, ProjectMetricSetting } from './projects';
export { domainModels } from './models';
