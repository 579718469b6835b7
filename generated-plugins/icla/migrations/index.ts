import type { MigrationScript } from 'devlake-ts';
import { addInitTables } from './20261125124200-add-init-tables';
import { addCommitterTable } from './20261125124205-add-committer-table';

/**
 * Every migration script of icla, applied once each in version order.
 * Never edit an applied script (its checksum is checked): add a new one with
 * `devlake create-migration icla <name>`.
 */
export const migrationScripts: MigrationScript[] = [addInitTables, addCommitterTable];
