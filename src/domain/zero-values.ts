import { goPointerColumns } from './go-pointers';
import type { ColumnType, DomainTableSpec } from './table-spec';

/**
 * DevLake's value convention: a Go field that is not a pointer is never NULL
 * in its rows, because Go writes the type's zero value ('', 0, false). SQL
 * written for DevLake relies on it (`WHERE epic_key = ''`), so the write path
 * (BatchSaveDivider) fills these values into every column a converter leaves
 * unset (undefined or null), instead of each converter doing it.
 */

/**
 * What Go writes for an unset `time.Time`: its zero instant, 0001-01-01 UTC
 * (DevLake on Postgres stores exactly this; MySQL shows it as a zero date).
 */
export const GO_ZERO_TIME: Date = new Date('0001-01-01T00:00:00.000Z');

/** Columns the database fills with the time of the write (gorm's autoCreateTime/autoUpdateTime). */
const DB_FILLED = new Set(['created_at', 'updated_at']);

const ZERO_OF: Record<ColumnType, () => unknown> = {
  s20: () => '',
  s40: () => '',
  s64: () => '',
  s100: () => '',
  s128: () => '',
  s191: () => '',
  s255: () => '',
  s500: () => '',
  s2000: () => '',
  text: () => '',
  int: () => 0,
  float: () => 0,
  bool: () => false,
  time: () => GO_ZERO_TIME,
};

/** The NoPKModel columns a spec's COMMON marker stands for, with their types. */
const COMMON_COLUMNS: ReadonlyArray<readonly [string, ColumnType]> = [
  ['created_at', 'time'],
  ['updated_at', 'time'],
  ['_raw_data_params', 's255'],
  ['_raw_data_table', 's255'],
  ['_raw_data_id', 'int'],
  ['_raw_data_remark', 'text'],
];

/**
 * Column → zero value for every column of a DevLake domain table that is not a
 * Go pointer, not part of the primary key (those are always set) and not
 * filled by the database. A table DevLake does not have gets none: NULL stays NULL.
 */
export function zeroValuesOf(spec: DomainTableSpec): Readonly<Record<string, unknown>> {
  const pointers = goPointerColumns[spec.table];
  if (!pointers) return Object.freeze({});
  const zeros: Record<string, unknown> = {};
  const columns = spec.columns.flatMap((c) => (typeof c === 'string' ? COMMON_COLUMNS : [c]));
  for (const [name, type] of columns) {
    if (pointers.includes(name) || spec.primaryKey.includes(name) || DB_FILLED.has(name)) continue;
    zeros[name] = ZERO_OF[type]();
  }
  return Object.freeze(zeros);
}
