import type { DevlakeOwnedTable } from '../dal/devlake-database';
import { calendarMonthsTable } from './calendar-months';
import { domainTables } from './migrations';
import { columnNames } from './table-spec';

/**
 * The domain tables as devlake-ts needs them in a database Apache DevLake
 * owns (where DevLake creates them): every column devlake-ts writes and the
 * primary key. `migrate` checks them there instead of creating them.
 */
export const domainTablesInDevlake: readonly DevlakeOwnedTable[] = Object.freeze([
  ...domainTables.map((spec) => ({ table: spec.table, columns: columnNames(spec), primaryKey: [...spec.primaryKey] })),
  { table: calendarMonthsTable, columns: ['month', 'month_timestamp'], primaryKey: ['month'] },
]);
