import type { SubTaskContext } from '../core/context';
import type { Dal } from '../core/dal';
import { DevlakeError, throwIfAborted } from '../core/errors';
import type { MappingColumns } from '../core/extract-mapping';
import { valueAt } from '../core/mapping-values';
import type { ModelDef, ModelRow, Row } from '../core/model';
import type { TableDef } from '../core/table';
import type { MappedColumn, MappedInsertPlan } from '../dal/mapped-insert';
import { ApiExtractor, type ExtractorRawRow } from './api-extractor';
import { paramsString } from './batch-save';
import { pendingRawFrom } from './raw-staging';
import { mappingRowFunction, type BoundValues } from './mapping-js';
import { runMappedStatement, type MappedEngine, type MappedRunResult } from './mapped-statement';

export type { MappedEngine } from './mapped-statement';

/** Arguments of a {@link MappedExtractor}. */
export interface MappedExtractorArgs<TData = any> {
  /** The subtask context: its `db`, `signal`, progress and (for constants) `getData()` are used. */
  ctx: SubTaskContext<any, any>;
  /** The full raw table name, e.g. `_raw_github_api_milestones`. */
  rawTable: string;
  /** The scope params: raw rows are those whose `params` is `JSON.stringify(params)` (a string as is). */
  params: unknown;
  /** The table written, declared with `defineTable` (its column kinds type the SQL); it needs the provenance columns. */
  table: TableDef<any>;
  /**
   * The rules, one per column set (every primary key column among them); see
   * `pick`. Provenance (`_raw_data_params`, `_raw_data_table`, `_raw_data_id`,
   * `_raw_data_remark` = '') is set for you; map `_raw_data_remark` to set it.
   */
  columns: MappingColumns<TData>;
  /** The task data constants are computed from. Default `ctx.getData()`. */
  data?: TData;
  /**
   * `auto` (default): one SQL statement where the database evaluates every
   * rule exactly, else (or when the statement fails: duplicate keys on
   * Postgres, a value the cast refuses) the same rules in JavaScript. `sql`:
   * the statement or an error. `js`: JavaScript only.
   */
  engine?: MappedEngine;
  /**
   * Code for what rules cannot say (see {@link PerRecord}): called once per
   * run with the task data and the database (to load a lookup table). When
   * given, the extraction runs in JavaScript.
   */
  perRecord?: (data: TData, db: Dal) => PerRecord | Promise<PerRecord>;
  /** Other tables the `perRecord` function writes rows to (replaced for these params with the table's). */
  alsoWrites?: readonly ModelDef<any>[];
}

/**
 * Applied to each record after the rules: it may set more columns of `row`
 * (columns computed in code), return rows for the `alsoWrites` tables (labels,
 * accounts), or return `false` to write nothing for this record. `raw` is the
 * raw row (its `inputJson`: the collector's input for a child collection).
 */
export type PerRecord<TRow = Row> = (row: TRow, record: any, raw: ExtractorRawRow) => ModelRow<any>[] | false | void;

/** What a run did (`rows`: one per raw row). */
export type MappedExtractResult = MappedRunResult;

const PROVENANCE = ['_raw_data_params', '_raw_data_table', '_raw_data_id', '_raw_data_remark'] as const;

/**
 * A declarative extractor: one tool row per raw row of the params, each column
 * from a rule. Atomic and idempotent like ApiExtractor: the rows of the same
 * raw table and params are replaced in one transaction; a failure or cancel
 * leaves the previous rows.
 */
export class MappedExtractor<TData = any> {
  readonly #args: MappedExtractorArgs<TData>;

  constructor(args: MappedExtractorArgs<TData>) {
    if (!args?.ctx || !args.rawTable || !args.table?.spec || !args.columns) {
      throw new DevlakeError('DEVLAKE_E_EXTRACT', 'MappedExtractor needs ctx, rawTable, table (a defineTable) and columns', {
        hint: 'Pass { ctx, rawTable: "_raw_<plugin>_<name>", params, table: MyTable, columns: { id: pick.int("id"), … } }.',
      });
    }
    checkColumns(args.table, args.columns);
    this.#args = args;
  }

  /** Runs the extraction. */
  async execute(): Promise<MappedExtractResult> {
    const { ctx, rawTable, table } = this.#args;
    throwIfAborted(ctx.signal);
    const engine = this.#args.engine ?? 'auto';
    const params = paramsString(this.#args.params ?? {});
    const bound = boundValues(this.#args, params);
    if (this.#args.perRecord) {
      if (engine === 'sql') throw new DevlakeError('DEVLAKE_E_EXTRACT', `${ctx.name}: perRecord code cannot run in SQL`, { hint: 'Drop engine "sql", or move the code into rules.' });
      return this.#runJs(bound, 'perRecord code runs in JavaScript');
    }
    if (engine === 'js') return this.#runJs(bound, undefined);
    if (table.zeroValues) return this.#runJs(bound, `${table.table} has zero values to fill (a domain table)`);
    // Rows of an unfinished collection (a crashed run's) are not the scope's yet: the JavaScript path skips them.
    if ((await pendingRawFrom(ctx.db, rawTable, params)) !== undefined) return this.#runJs(bound, `a collection of ${rawTable} for these params is unfinished`);
    return runMappedStatement({
      ctx,
      engine,
      origin: { rawTable, params },
      plan: this.#plan(params, bound),
      errorCode: 'DEVLAKE_E_EXTRACT',
      what: 'extraction',
      runJs: (reason) => this.#runJs(bound, reason),
    });
  }

  #plan(params: string, bound: BoundValues): MappedInsertPlan {
    const { table, rawTable, columns } = this.#args;
    const spec = table.spec;
    const out: MappedColumn[] = [];
    for (const [name, rule] of Object.entries(columns)) {
      const col = spec.columns[name]!;
      const base = { name, kind: col.kind, primaryKey: col.primaryKey };
      if (rule.from === 'json') out.push({ ...base, source: { from: 'json', steps: rule.steps, as: rule.as }, nullAs: rule.nullAs });
      else out.push({ ...base, source: { from: 'bound', value: bound.get(name) } });
    }
    const provenance: Record<(typeof PROVENANCE)[number], MappedColumn['source']> = {
      _raw_data_params: { from: 'bound', value: params },
      _raw_data_table: { from: 'bound', value: rawTable },
      _raw_data_id: { from: 'rawId' },
      _raw_data_remark: { from: 'bound', value: '' },
    };
    for (const name of PROVENANCE) {
      if (columns[name]) continue;
      out.push({ name, kind: spec.columns[name]!.kind, primaryKey: spec.columns[name]!.primaryKey, source: provenance[name] });
    }
    return { table: table.table, input: { from: 'raw', rawTable, params }, columns: out, primaryKey: table.primaryKey };
  }

  async #runJs(bound: BoundValues, reason: string | undefined): Promise<MappedExtractResult> {
    const { ctx, rawTable, table, columns } = this.#args;
    const toRow = mappingRowFunction(columns, bound, table.spec.columns);
    const each = await this.#args.perRecord?.(this.#args.data ?? (ctx.getData() as TData), ctx.db);
    const written = await new ApiExtractor({
      ctx,
      rawTable,
      params: this.#args.params,
      outputs: [table, ...(this.#args.alsoWrites ?? [])],
      extract: (record, raw): ModelRow<any>[] => {
        const row = toRow(record, raw.data);
        const more = each?.(row, record, raw);
        if (more === false) return [];
        return more ? [table.row(row), ...more] : [table.row(row)];
      },
    }).execute();
    return { engine: 'js', ...(reason ? { reason } : {}), rows: written.get(table.table) ?? 0 };
  }
}

/** Every mapped column must exist, every key column be mapped, and the provenance columns exist. */
function checkColumns(table: TableDef<any>, columns: MappingColumns): void {
  const spec = table.spec;
  const problems: string[] = [];
  for (const [name, rule] of Object.entries(columns)) {
    if (!spec.columns[name]) problems.push(`column "${name}" is not declared in ${table.table}`);
    if (!rule || typeof rule !== 'object' || !['json', 'param', 'constant'].includes((rule as { from?: string }).from ?? '')) problems.push(`column "${name}" needs a pick.*() rule`);
    if ((PROVENANCE as readonly string[]).includes(name) && name !== '_raw_data_remark') problems.push(`column "${name}" is provenance, set for you`);
  }
  for (const k of table.primaryKey) if (!columns[k]) problems.push(`primary key column "${k}" has no rule`);
  for (const p of PROVENANCE) if (!spec.columns[p]) problems.push(`${table.table} lacks the provenance column ${p} (spread noPkModelColumns() or rawDataOriginColumns() into it)`);
  if (problems.length > 0) {
    throw new DevlakeError('DEVLAKE_E_EXTRACT', `Bad declarative extractor for ${table.table}: ${problems.join('; ')}`, {
      hint: 'Map each primary key column with a pick.*() rule, only to columns the table declares.',
    });
  }
}

/** Constants and params fields, computed once per run. */
function boundValues<TData>(args: MappedExtractorArgs<TData>, params: string): BoundValues {
  const out: BoundValues = new Map();
  let parsedParams: unknown;
  for (const [name, rule] of Object.entries(args.columns)) {
    if (rule.from === 'constant') {
      const v = typeof rule.value === 'function' ? rule.value(args.data ?? (args.ctx.getData() as TData)) : rule.value;
      out.set(name, v ?? null);
    } else if (rule.from === 'param') {
      parsedParams ??= JSON.parse(params);
      const v = valueAt(parsedParams, rule.steps);
      out.set(name, v === undefined || v === null ? (rule.nullAs ?? null) : v);
    }
  }
  return out;
}
