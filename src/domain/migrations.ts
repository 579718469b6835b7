import type { Knex } from 'knex';
import type { MigrationScript } from '../dal/types';
import { codeTables, repoCommitsSpec } from './code';
import { crossdomainTables } from './crossdomain';
import { devopsTables } from './devops';
import { createDomainTable, type DomainTableSpec } from './table-spec';
import { ticketTables } from './ticket';

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

/** Every domain table, in migration order. */
export const domainTables: readonly DomainTableSpec[] = Object.freeze([...domainTablesV1, ...domainTablesV2]);

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
];
