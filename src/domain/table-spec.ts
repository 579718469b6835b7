import type { Knex } from 'knex';
import type { ModelDef, RawDataOrigin } from '../core/model';
import { col, noPkModelColumns, tableFromSpec, type Column, type ColumnSpec, type TableSpec } from '../core/table';
import { createTable } from '../dal/table-ddl';

/**
 * Column types, named after the DevLake (gorm) declaration they mirror:
 * `s255` = `varchar(255)`, `text` = an untyped Go string (MySQL longtext),
 * `int` = Go int/uint64 (bigint), `float` = float64 (double), `bool`,
 * `time` = time.Time (datetime(3); here a timestamp with time zone).
 */
export type ColumnType = 's40' | 's100' | 's255' | 's500' | 'text' | 'int' | 'float' | 'bool' | 'time';

/** Marks where `created_at`, `updated_at` and the `_raw_data_*` columns go (DevLake's NoPKModel). */
export const COMMON = '__common__' as const;

/** One domain table as DevLake declares it. */
export interface DomainTableSpec {
  /** DevLake's table name, e.g. `issues`. */
  table: string;
  /** DevLake's Go model, e.g. `ticket.Issue` (for docs). */
  goModel: string;
  primaryKey: readonly string[];
  /** Columns in DevLake's order; `COMMON` stands for the NoPKModel columns. */
  columns: ReadonlyArray<readonly [string, ColumnType] | typeof COMMON>;
  /** Columns DevLake indexes (`gorm:"index"`). */
  indexes?: readonly string[];
}

/** Columns every domain row may carry: timestamps and provenance. */
export interface NoPkModelRow extends RawDataOrigin {
  created_at?: Date | string | null;
  updated_at?: Date | string | null;
}

/** DevLake's DomainEntity: a string id built by `DomainIdGenerator`, plus the common columns. */
export interface DomainEntityRow extends NoPkModelRow {
  /** `<plugin>:<ToolModel>:<pk…>`, e.g. `github:GithubIssue:1:346842831`. */
  id: string;
}

/** Every column name of a spec, COMMON expanded. */
export function columnNames(spec: DomainTableSpec): string[] {
  return spec.columns.flatMap((c) =>
    c === COMMON ? ['created_at', 'updated_at', '_raw_data_params', '_raw_data_table', '_raw_data_id', '_raw_data_remark'] : [c[0]],
  );
}

/**
 * The same spec in `defineTable`'s form: one mechanism for the model, the DDL
 * and the decoding of domain and tool tables alike.
 */
export function tableSpecOf(spec: DomainTableSpec): TableSpec {
  const common = noPkModelColumns();
  const columns: Record<string, ColumnSpec> = {};
  for (const c of spec.columns) {
    if (c === COMMON) {
      for (const [name, column] of Object.entries(common)) columns[name] = column.spec;
      continue;
    }
    const [name, type] = c;
    const column = COLUMN_OF[type]();
    columns[name] = (spec.primaryKey.includes(name) ? column.primaryKey() : column).spec;
  }
  return { table: spec.table, primaryKey: spec.primaryKey, columns, indexes: (spec.indexes ?? []).map((i) => [i]) };
}

/** The ColumnType names of this format, as `col` declarations. */
const COLUMN_OF: Record<ColumnType, () => Column<any, any, boolean, boolean>> = {
  s40: () => col.string(40),
  s100: () => col.string(100),
  s255: () => col.string(255),
  s500: () => col.string(500),
  text: () => col.text(),
  int: () => col.bigint(),
  float: () => col.float(),
  bool: () => col.bool(),
  time: () => col.datetime(),
};

/** The model of a spec, for converters: `Issue.row({...})`; it also carries the spec for decoding reads. */
export function modelOf<T extends object>(spec: DomainTableSpec): ModelDef<T> & { readonly spec: TableSpec } {
  return tableFromSpec(tableSpecOf(spec)) as unknown as ModelDef<T> & { readonly spec: TableSpec };
}

/** Creates the table of a spec. */
export async function createDomainTable(db: Knex, spec: DomainTableSpec): Promise<void> {
  await createTable(db, { spec: tableSpecOf(spec) });
}
