import type { Knex } from 'knex';
import type { ModelDef, RawDataOrigin } from '../core/model';
import { col, noPkModelColumns, tableFromSpec, type Column, type ColumnSpec, type TableSpec } from '../core/table';
import { createTable } from '../dal/table-ddl';
import { zeroValuesOf } from './zero-values';

/**
 * Column types, named after the DevLake (gorm) declaration they mirror:
 * `s255` = `varchar(255)` (likewise `s20` … `s2000`), `text` = an untyped Go string (MySQL longtext),
 * `int` = Go int/uint64 (bigint), `float` = float64 (double), `bool`,
 * `time` = time.Time (datetime(3); here a timestamp with time zone).
 */
export type ColumnType = 's20' | 's40' | 's64' | 's100' | 's128' | 's191' | 's255' | 's500' | 's2000' | 'text' | 'int' | 'float' | 'bool' | 'time';

/** Marks where `created_at`, `updated_at` and the `_raw_data_*` columns go (DevLake's NoPKModel). */
export const COMMON = '__common__' as const;

/** One domain table as DevLake declares it. */
export interface DomainTableSpec {
  /** DevLake's table name, e.g. `issues`. */
  table: string;
  /** DevLake's Go model, e.g. `ticket.Issue` (for docs). */
  goModel: string;
  /** Primary key columns; empty only for DevLake's one key-less table (`repo_languages`), which is insert-only. */
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
  s20: () => col.string(20),
  s40: () => col.string(40),
  s64: () => col.string(64),
  s100: () => col.string(100),
  s128: () => col.string(128),
  s191: () => col.string(191),
  s255: () => col.string(255),
  s500: () => col.string(500),
  s2000: () => col.string(2000),
  text: () => col.text(),
  int: () => col.bigint(),
  float: () => col.float(),
  bool: () => col.bool(),
  time: () => col.datetime(),
};

/**
 * The model of a spec, for converters: `Issue.row({...})`; it also carries the
 * spec for decoding reads, and the table's Go zero values (./zero-values.ts),
 * which the write path fills into columns a converter leaves unset.
 */
export function modelOf<T extends object>(spec: DomainTableSpec): ModelDef<T> & { readonly spec: TableSpec } {
  const zeroValues = zeroValuesOf(spec);
  const tableSpec = tableSpecOf(spec);
  // tableFromSpec refuses a key-less table; DevLake has one (repo_languages), written with plain inserts.
  const def: object =
    spec.primaryKey.length > 0 ? tableFromSpec(tableSpec) : { table: spec.table, primaryKey: Object.freeze([]), columns: Object.freeze(columnNames(spec)), spec: tableSpec };
  const model = Object.freeze({ ...def, zeroValues, row: (data: T) => ({ model, data }) }) as unknown as ModelDef<T> & { readonly spec: TableSpec };
  return model;
}

/** Creates the table of a spec. */
export async function createDomainTable(db: Knex, spec: DomainTableSpec): Promise<void> {
  await createTable(db, { spec: tableSpecOf(spec) });
}

/**
 * Changes a column of an existing domain table to a wider type, keeping its
 * data, nullability and key (knex rebuilds the table on SQLite).
 */
export async function widenDomainColumn(db: Knex, table: string, column: string, type: ColumnType): Promise<void> {
  const c = COLUMN_OF[type]().spec;
  await db.schema.alterTable(table, (t) => {
    const builder = c.kind === 'string' ? t.string(column, c.length ?? 255) : t.text(column);
    builder.alter({ alterNullable: false, alterType: true });
  });
}
