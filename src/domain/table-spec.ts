import type { Knex } from 'knex';
import { defineModel, type ModelDef, type RawDataOrigin } from '../core/model';
import { addNoPkModelColumns } from '../dal/columns';
import { dialectOfKnex } from '../dal/dialects';

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

/** The ModelDef of a spec, for converters: `Issue.row({...})`. */
export function modelOf<T extends object>(spec: DomainTableSpec): ModelDef<T> {
  return defineModel<T>({ table: spec.table, primaryKey: spec.primaryKey, columns: columnNames(spec) });
}

/** Creates the table of a spec. */
export async function createDomainTable(db: Knex, spec: DomainTableSpec): Promise<void> {
  const builder = db.schema.createTable(spec.table, (t) => {
    for (const c of spec.columns) {
      if (c === COMMON) {
        addNoPkModelColumns(t, db);
        continue;
      }
      const [name, type] = c;
      const pk = spec.primaryKey.includes(name);
      const col = addColumn(t, name, type);
      if (pk) col.notNullable();
    }
    t.primary([...spec.primaryKey], `${spec.table}_pkey`);
    for (const idx of spec.indexes ?? []) t.index([idx], `idx_${spec.table}_${idx}`);
  });
  await dialectOfKnex(db).runCreateTable(db, builder);
}

function addColumn(t: Knex.CreateTableBuilder, name: string, type: ColumnType): Knex.ColumnBuilder {
  switch (type) {
    case 's40':
      return t.string(name, 40);
    case 's100':
      return t.string(name, 100);
    case 's255':
      return t.string(name, 255);
    case 's500':
      return t.string(name, 500);
    case 'text':
      return t.text(name);
    case 'int':
      return t.bigInteger(name);
    case 'float':
      return t.double(name);
    case 'bool':
      return t.boolean(name);
    case 'time':
      return t.timestamp(name, { useTz: true, precision: 3 });
  }
}
