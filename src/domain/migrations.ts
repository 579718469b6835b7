import type { Knex } from 'knex';
import type { MigrationScript } from '../dal/types';
import { tablesMigration } from '../dal/table-ddl';
import { calendarMonthsTable, createCalendarMonths } from './calendar-months';
import { codeTables, repoCommitsSpec } from './code';
import { codeTablesV3 } from './code-v3';
import { codeQualityTables } from './codequality';
import { crossdomainTables } from './crossdomain';
import { crossdomainTablesV3 } from './crossdomain-v3';
import { devopsTables } from './devops';
import { devopsTablesV3 } from './devops-v3';
import { Project, ProjectMetricSetting } from './projects';
import { qaTables } from './qa';
import { createDomainTable, widenDomainColumn, type ColumnType, type DomainTableSpec } from './table-spec';
import { ticketTables } from './ticket';
import { ticketTablesV3 } from './ticket-v3';

/**
 * Every domain table of the first schema version, DevLake's names and columns
 * as of Apache DevLake commit 420e494b4ede9a16c4bfb59de099c797bcd7f5f1
 * (backend/core/models/domainlayer/{code,ticket,crossdomain,devops}).
 * Applied scripts are never edited: a schema change is a new script below,
 * and test/domain/migrations.test.ts pins a fingerprint of these specs.
 */
export const domainTablesV1: readonly DomainTableSpec[] = Object.freeze([...codeTables, ...ticketTables, ...crossdomainTables, ...devopsTables]);

/** Tables added by the second script. */
export const domainTablesV2: readonly DomainTableSpec[] = Object.freeze([repoCommitsSpec]);

/** The 28 tables of DevLake's domain layer the third script adds (64 in all). */
export const domainTablesV3: readonly DomainTableSpec[] = Object.freeze([
  ...codeTablesV3,
  ...ticketTablesV3,
  ...crossdomainTablesV3,
  ...devopsTablesV3,
  ...codeQualityTables,
  ...qaTables,
]);

/** Columns the first script made narrower than DevLake's; the third script widens them. */
export const widenedColumnsV3: ReadonlyArray<{ readonly table: string; readonly column: string; readonly type: ColumnType }> = Object.freeze([
  { table: 'cicd_pipelines', column: 'url', type: 'text' },
  { table: 'cicd_pipeline_commits', column: 'url', type: 'text' },
  { table: 'cicd_deployment_commits', column: 'url', type: 'text' },
  { table: 'issues', column: 'component', type: 'text' },
  { table: 'issues', column: 'fix_versions', type: 'text' },
  { table: 'refs', column: 'id', type: 's500' },
]);

/** A spec with the later scripts' column changes applied: the table as it is now. */
function current(spec: DomainTableSpec): DomainTableSpec {
  const widened = widenedColumnsV3.filter((w) => w.table === spec.table);
  if (widened.length === 0) return spec;
  return Object.freeze({
    ...spec,
    columns: spec.columns.map((c) => {
      const w = typeof c === 'string' ? undefined : widened.find((x) => x.column === c[0]);
      return w && typeof c !== 'string' ? ([c[0], w.type] as const) : c;
    }),
  });
}

/** Every domain table as it is after all scripts (DevLake's 64), in migration order. */
export const domainTables: readonly DomainTableSpec[] = Object.freeze([...domainTablesV1, ...domainTablesV2].map(current).concat(domainTablesV3));

/** Migrations of DevLake's domain layer tables, owner `domain`. */
export const domainMigrations: MigrationScript[] = [
  {
    version: 20240101000100,
    name: 'add_domain_tables_devlake_420e494b',
    async up(db: Knex) {
      for (const spec of domainTablesV1) await createDomainTable(db, spec);
    },
  },
  {
    version: 20240101000200,
    name: 'add_repo_commits',
    async up(db: Knex) {
      for (const spec of domainTablesV2) await createDomainTable(db, spec);
    },
  },
  {
    version: 20240101000300,
    name: 'add_remaining_domain_tables_widen_columns_calendar_months',
    async up(db: Knex) {
      for (const spec of domainTablesV3) await createDomainTable(db, spec);
      for (const w of widenedColumnsV3) await widenDomainColumn(db, w.table, w.column, w.type);
      await createCalendarMonths(db, new Date());
    },
  },
  // Its checksum covers the two tables' specs: editing Project or ProjectMetricSetting needs a new script.
  tablesMigration(20240101000400, 'add_projects_and_project_metric_settings', [Project, ProjectMetricSetting]),
];

export { calendarMonthsTable };
