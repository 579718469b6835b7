/**
 * Table models. A model names a table and its primary key; extractors and
 * converters return `ModelRow`s made with `model.row(data)`, and the helpers
 * batch-upsert each row into its model's table.
 *
 * @example
 * export const IclaCommitter = defineModel<{ user_name: string; name: string }>({
 *   table: '_tool_icla_committer',
 *   primaryKey: ['user_name'],
 * });
 * // in an extractor:
 * return [IclaCommitter.row({ user_name: 'alice', name: 'Alice A.' })];
 */

/** A plain row: column name → value. */
export type Row = Record<string, unknown>;

/** Provenance columns carried by tool and domain rows (DevLake's RawDataOrigin). */
export interface RawDataOrigin {
  /** JSON of the scope params, e.g. `{"ConnectionId":1,"Name":"org/repo"}`. */
  _raw_data_params?: string | null;
  /** The raw table the row came from, e.g. `_raw_github_api_issues`. */
  _raw_data_table?: string | null;
  /** The id of the raw row the row came from. */
  _raw_data_id?: number | null;
  /** Free text, usually empty. */
  _raw_data_remark?: string | null;
}

/** The provenance column names, in DevLake's order. */
export const RAW_DATA_ORIGIN_COLUMNS = ['_raw_data_params', '_raw_data_table', '_raw_data_id', '_raw_data_remark'] as const;

/** A table: its name and primary key. */
export interface ModelDef<T extends object = Row> {
  /** Table name, e.g. `_tool_github_issues` or `issues`. */
  readonly table: string;
  /** Primary key columns, in order. */
  readonly primaryKey: readonly string[];
  /** Optional list of columns, for documentation and `getTablesInfo()`. */
  readonly columns?: readonly string[];
  /**
   * Column → value written when a row leaves the column unset (undefined or
   * null): DevLake's Go zero values ('', 0, false) for domain tables. Absent
   * (the default) leaves unset columns NULL.
   */
  readonly zeroValues?: Readonly<Record<string, unknown>>;
  /** Wraps `data` as a row of this model, for an extractor or converter to return. */
  row(data: T): ModelRow<T>;
  /** Phantom field carrying the row type; never set. */
  readonly __rowType?: T;
}

/** A row tagged with the model (table) it belongs to. */
export interface ModelRow<T extends object = Row> {
  readonly model: ModelDef<T>;
  readonly data: T;
}

/**
 * Declares a table model (name and key only; the row type and the DDL are
 * written separately).
 * @deprecated Use `defineTable`, which declares the columns once and gives the
 * row types, the model, the DDL and typed reads. Kept working unchanged.
 */
export function defineModel<T extends object = Row>(def: {
  table: string;
  primaryKey: readonly string[];
  columns?: readonly string[];
}): ModelDef<T> {
  if (!def.table || def.primaryKey.length === 0) {
    throw new TypeError(`defineModel needs a table and at least one primary key column (got ${JSON.stringify(def)})`);
  }
  const model: ModelDef<T> = {
    table: def.table,
    primaryKey: Object.freeze([...def.primaryKey]),
    columns: def.columns ? Object.freeze([...def.columns]) : undefined,
    row: (data: T) => ({ model, data }),
  };
  return Object.freeze(model);
}

/** The row type of a model: `RowOf<typeof IclaCommitter>`. */
export type RowOf<M> = M extends ModelDef<infer T> ? T : never;
