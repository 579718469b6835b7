import { defineModel, type ModelDef, type ModelRow } from './model';

/**
 * One declaration per table (drizzle-style): name, key and typed columns give
 * the row types, the model extractors and converters return rows of, the DDL
 * (`createTable` in devlake-ts) and the decoding of rows read back, so a
 * converter sees the same JS values on every database.
 *
 * @example
 * export const GithubIssue = defineTable('_tool_github_issues', {
 *   connection_id: col.bigint().primaryKey(),
 *   github_id: col.bigint().primaryKey(),
 *   title: col.text(),
 *   closed_at: col.datetime(),
 *   ...noPkModelColumns(),
 * });
 * export type GithubIssueRow = SelectRowOf<typeof GithubIssue>;
 * // an extractor: return [GithubIssue.row({ connection_id: 1, github_id: 7, title: 'Bug' })];
 */

/**
 * The column types, after the DevLake (gorm) declarations they mirror.
 * Integers read back as `number`; a value beyond 2^53 (possible in `bigint`
 * and `uint64` columns) reads back as a JS `bigint` rather than losing digits.
 */
export type ColumnKind = 'string' | 'text' | 'bigint' | 'int' | 'uint64' | 'float' | 'bool' | 'datetime' | 'json';

/** What a column is, as plain data (this is what the DDL, the decoder and a migration's checksum read). */
export interface ColumnSpec {
  readonly kind: ColumnKind;
  /** `string` columns: the varchar length. */
  readonly length?: number;
  readonly notNull: boolean;
  readonly primaryKey: boolean;
  /** A constant default, or `'now'` for the current time (`datetime` only). */
  readonly default?: { readonly value: unknown } | 'now';
  /** True to add a single-column index. */
  readonly index: boolean;
}

/** The JS type a column of each kind reads back as. */
export interface KindTypes {
  string: string;
  text: string;
  bigint: number;
  int: number;
  uint64: number;
  float: number;
  bool: boolean;
  datetime: Date;
  json: unknown;
}

/** The JS types accepted when writing a column of each kind. */
export interface KindInputTypes {
  string: string;
  text: string;
  bigint: number | bigint;
  int: number;
  uint64: number | bigint;
  float: number;
  bool: boolean;
  /** A Date, or an ISO 8601 string (written as given on SQLite, converted by the server elsewhere). */
  datetime: Date | string;
  json: unknown;
}

/**
 * A column declaration: a {@link ColumnSpec} plus phantom types. Chain the
 * modifiers: `col.bigint().primaryKey()`, `col.text().notNull().default('')`.
 */
export class Column<TRead = unknown, TWrite = unknown, TNotNull extends boolean = false, TPk extends boolean = false> {
  readonly spec: ColumnSpec;
  /** Phantom fields carrying the types; never set. */
  declare readonly $read: TRead;
  declare readonly $write: TWrite;
  declare readonly $notNull: TNotNull;
  declare readonly $pk: TPk;

  constructor(spec: ColumnSpec) {
    this.spec = Object.freeze({ ...spec });
  }

  /** NOT NULL: reads back never null. */
  notNull(): Column<TRead, TWrite, true, TPk> {
    return new Column({ ...this.spec, notNull: true });
  }

  /** Part of the primary key (in declaration order); implies NOT NULL and required in `row()`. */
  primaryKey(): Column<TRead, TWrite, true, true> {
    return new Column({ ...this.spec, notNull: true, primaryKey: true });
  }

  /** A constant default the database fills in when a row leaves the column out. */
  default(value: TWrite): Column<TRead, TWrite, TNotNull, TPk> {
    return new Column({ ...this.spec, default: { value } });
  }

  /** Defaults to the time of the insert (`datetime` columns). */
  defaultNow(): Column<TRead, TWrite, TNotNull, TPk> {
    return new Column({ ...this.spec, default: 'now' });
  }

  /** Adds an index on this column alone (DevLake's `gorm:"index"`). */
  index(): Column<TRead, TWrite, TNotNull, TPk> {
    return new Column({ ...this.spec, index: true });
  }
}

function column<K extends ColumnKind, TRead = KindTypes[K], TWrite = KindInputTypes[K]>(kind: K, length?: number): Column<TRead, TWrite> {
  return new Column<TRead, TWrite>({ kind, length, notNull: false, primaryKey: false, index: false });
}

/**
 * Column constructors for {@link defineTable}. Columns are nullable unless
 * marked `.notNull()` or `.primaryKey()`.
 */
export const col = Object.freeze({
  /** `varchar(length)`, default length 255. */
  string: (length = 255) => column('string', length),
  /** Unbounded text (MySQL longtext). */
  text: () => column('text'),
  /** 64-bit integer (Go int64/int); beyond 2^53 reads back as a JS bigint. */
  bigint: () => column('bigint'),
  /** 32-bit integer (Go int32/int16). */
  int: () => column('int'),
  /** Unsigned 64-bit integer (Go uint64), stored as a signed bigint; beyond 2^53 reads back as a JS bigint. */
  uint64: () => column('uint64'),
  /** Double precision (Go float64). */
  float: () => column('float'),
  /** Boolean. */
  bool: () => column('bool'),
  /** Timestamp with time zone, millisecond precision (Go time.Time); reads back as a Date. */
  datetime: () => column('datetime'),
  /** JSON, read back parsed; `col.json<MyShape>()` types it. */
  json: <T = unknown>() => column<'json', T, T>('json'),
});

/** Columns of a table declaration. */
export type ColumnsShape = Record<string, Column<any, any, boolean, boolean>>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type PkKeys<C extends ColumnsShape> = { [K in keyof C]: C[K]['$pk'] extends true ? K : never }[keyof C];

/** A row as read back through the framework: every column, null where the column allows it. */
export type SelectRow<C extends ColumnsShape> = Simplify<{
  -readonly [K in keyof C]: C[K]['$notNull'] extends true ? C[K]['$read'] : C[K]['$read'] | null;
}>;

/** A row as an extractor or converter writes it: primary key columns required, the rest optional. */
export type InsertRow<C extends ColumnsShape> = Simplify<
  { -readonly [K in PkKeys<C>]: C[K]['$write'] } & { -readonly [K in Exclude<keyof C, PkKeys<C>>]?: C[K]['$write'] | null }
>;

/** The plain-data form of a table: what DDL, decoding and migration checksums use. */
export interface TableSpec {
  readonly table: string;
  readonly primaryKey: readonly string[];
  /** Columns in declaration order. */
  readonly columns: Readonly<Record<string, ColumnSpec>>;
  /** Multi-column indexes, each a column list. */
  readonly indexes?: readonly (readonly string[])[];
}

/** A declared table: its model (`row()`, `table`, `primaryKey`, `columns`), spec and phantom row types. */
export interface TableDef<C extends ColumnsShape = ColumnsShape> extends ModelDef<InsertRow<C>> {
  readonly columns: readonly string[];
  readonly spec: TableSpec;
  /** Phantom: the row type read back (`typeof T.$inferSelect`). */
  readonly $inferSelect: SelectRow<C>;
  /** Phantom: the row type written (`typeof T.$inferInsert`). */
  readonly $inferInsert: InsertRow<C>;
  row(data: InsertRow<C>): ModelRow<InsertRow<C>>;
}

/** Options of {@link defineTable}. */
export interface DefineTableOptions {
  /** Multi-column indexes. */
  indexes?: readonly (readonly string[])[];
}

/** Declares a table once; see the module comment for an example. */
export function defineTable<C extends ColumnsShape>(table: string, columns: C, options: DefineTableOptions = {}): TableDef<C> {
  const specs: Record<string, ColumnSpec> = {};
  for (const [name, c] of Object.entries(columns)) {
    if (!(c instanceof Column)) throw new TypeError(`defineTable("${table}"): column "${name}" is not a col.*() declaration`);
    specs[name] = c.spec;
  }
  const primaryKey = Object.keys(specs).filter((n) => specs[n]!.primaryKey);
  return tableFromSpec({ table, primaryKey, columns: specs, indexes: options.indexes }) as unknown as TableDef<C>;
}

/** The table of a plain spec (a frozen copy, or one built from another format). */
export function tableFromSpec(spec: TableSpec): TableDef {
  if (!spec.table || spec.primaryKey.length === 0) {
    throw new TypeError(`Table "${spec.table}" needs a name and at least one primary key column`);
  }
  for (const k of spec.primaryKey) {
    if (!spec.columns[k]) throw new TypeError(`Table "${spec.table}": primary key column "${k}" is not declared`);
  }
  const frozen: TableSpec = deepFreeze(structuredClone({ ...spec, indexes: spec.indexes ?? [] }));
  const model = defineModel<any>({ table: frozen.table, primaryKey: frozen.primaryKey, columns: Object.keys(frozen.columns) });
  const def = { ...model, spec: frozen, columns: model.columns!, row: (data: unknown) => ({ model: def, data }) };
  return Object.freeze(def) as unknown as TableDef;
}

/**
 * A copy of a table's spec that never changes, for a migration to create:
 * `frozenTable(GithubIssue)` at the time the migration is written. (Copy the
 * literal spec into the migration once the live declaration moves on.)
 */
export function frozenTable(table: { spec: TableSpec }): TableDef {
  return tableFromSpec(table.spec);
}

/** The declared column types of a table, for decoding reads of it (`Dal.stream(..., { columns })`). */
export type ColumnTypes = Readonly<Record<string, ColumnSpec>>;

/**
 * Column types for rows that are not one table's (a join, a computed column),
 * to decode them like a table's: `columnTypes({ created_date: 'datetime', has_tasks: 'bool' })`
 * for `readRows` or a converter's `inputColumns`.
 */
export function columnTypes(kinds: Readonly<Record<string, ColumnKind>>): ColumnTypes {
  const out: Record<string, ColumnSpec> = {};
  for (const [name, kind] of Object.entries(kinds)) out[name] = { kind, notNull: false, primaryKey: false, index: false };
  return out;
}

/** `created_at`, `updated_at` (default now): DevLake's common.Model timestamps. */
export function timestampColumns() {
  return {
    created_at: col.datetime().defaultNow(),
    updated_at: col.datetime().defaultNow(),
  };
}

/** `_raw_data_params` (indexed), `_raw_data_table`, `_raw_data_id`, `_raw_data_remark`: DevLake's RawDataOrigin. */
export function rawDataOriginColumns() {
  return {
    _raw_data_params: col.string(255).index(),
    _raw_data_table: col.string(255),
    _raw_data_id: col.bigint(),
    _raw_data_remark: col.text(),
  };
}

/** Everything DevLake's NoPKModel adds: timestamps and provenance. Spread it last (or where DevLake puts it). */
export function noPkModelColumns() {
  return { ...timestampColumns(), ...rawDataOriginColumns() };
}

/** The row type a table reads back as: `SelectRowOf<typeof GithubIssue>`. */
export type SelectRowOf<T> = T extends { $inferSelect: infer R } ? R : never;
/** The row type a table is written with: `InsertRowOf<typeof GithubIssue>`. */
export type InsertRowOf<T> = T extends { $inferInsert: infer R } ? R : never;

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
