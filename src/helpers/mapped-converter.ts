import type { SubTaskContext } from '../core/context';
import type { ConvertColumns, ConvertRule, ConvertWhere, WhereValue } from '../core/convert-mapping';
import { DevlakeError, throwIfAborted } from '../core/errors';
import { valueAt } from '../core/mapping-values';
import type { ModelDef, Row } from '../core/model';
import type { ColumnKind, TableDef, TableSpec } from '../core/table';
import { TEXT_SOURCE_KINDS, type MappedColumn, type MappedInsertPlan, type MappedSource, type MappedTextPart } from '../dal/mapped-insert';
import { paramsString } from './batch-save';
import { DataConverter } from './data-converter';
import { convertRowFunction, type BoundValues } from './mapping-js';
import { runMappedStatement, type MappedEngine, type MappedRunResult } from './mapped-statement';

/** The output of a declarative converter: a domain table (`Issue`) or a `defineTable` table. */
export type MappedOutput = ModelDef<any> & { readonly spec: TableSpec };

/** Arguments of a {@link MappedConverter}. */
export interface MappedConverterArgs<TData = any> {
  /** The subtask context: its `db`, `signal`, progress and (for constants) `getData()` are used. */
  ctx: SubTaskContext<any, any>;
  /** The raw table the input came from: output rows with this provenance table and `params` are replaced. */
  rawTable: string;
  /** The scope params (object, or the exact JSON string). */
  params: unknown;
  /** The input (tool) table, declared with `defineTable`: its key orders the read, its kinds type the rules. */
  from: TableDef<any>;
  /** Input column → value, all equal (default: every row): `{ _raw_data_params: conv.scopeParams() }`. */
  where?: ConvertWhere<TData>;
  /** The table written; it needs the provenance columns. */
  to: MappedOutput;
  /**
   * The rules, one per output column set (every primary key column among
   * them); see `conv`. Other columns get the table's zero values; provenance
   * is copied from the input row.
   */
  columns: ConvertColumns<TData>;
  /** The task data constants are computed from. Default `ctx.getData()`. */
  data?: TData;
  /**
   * `auto` (default): one SQL statement where the database evaluates every
   * rule exactly, else (or when the statement fails) the same rules in
   * JavaScript. `sql`: the statement or an error. `js`: JavaScript only.
   */
  engine?: MappedEngine;
}

/** What a run did (`rows`: one per input row). */
export type MappedConvertResult = MappedRunResult;

const PROVENANCE = ['_raw_data_params', '_raw_data_table', '_raw_data_id', '_raw_data_remark'] as const;
const RULES = ['column', 'text', 'map', 'constant', 'param'];
/** Columns the write path stamps with the time of the write when left unset (gorm's autoUpdateTime). */
const STAMPED = 'updated_at';

/**
 * A declarative converter: one output row per input row, each column from a
 * rule, written as the `converter` factory would write it (zero values,
 * provenance from the input row). Atomic and idempotent like DataConverter:
 * the output rows of the same raw table and params are replaced in one
 * transaction; a failure or cancel leaves the previous rows.
 */
export class MappedConverter<TData = any> {
  readonly #args: MappedConverterArgs<TData>;

  constructor(args: MappedConverterArgs<TData>) {
    if (!args?.ctx || !args.rawTable || !args.from?.spec || !args.to?.spec || !args.columns) {
      throw new DevlakeError('DEVLAKE_E_CONVERT', 'MappedConverter needs ctx, rawTable, from (a defineTable), to (a domain table or defineTable) and columns', {
        hint: 'Pass { ctx, rawTable, params, from: MyToolTable, to: Issue, columns: { id: conv.domainId(gen, "connection_id", "id"), … } }.',
      });
    }
    checkMappedConverter(args);
    this.#args = args;
  }

  /** Runs the conversion. */
  async execute(): Promise<MappedConvertResult> {
    const { ctx, rawTable } = this.#args;
    throwIfAborted(ctx.signal);
    const engine = this.#args.engine ?? 'auto';
    const params = paramsString(this.#args.params ?? {});
    const bound = boundValues(this.#args, params);
    const where = whereValues(this.#args, params);
    if (engine === 'js') return this.#runJs(bound, where, undefined);
    return runMappedStatement({
      ctx,
      engine,
      origin: { rawTable, params },
      plan: this.#plan(params, bound, where),
      errorCode: 'DEVLAKE_E_CONVERT',
      what: 'conversion',
      runJs: (reason) => this.#runJs(bound, where, reason),
    });
  }

  #plan(params: string, bound: BoundValues, where: Row): MappedInsertPlan {
    const { from, to, columns, rawTable } = this.#args;
    const inKind = (c: string): ColumnKind => from.spec.columns[c]!.kind;
    const zeros = to.zeroValues ?? {};
    const stamp = to.zeroValues && to.spec.columns[STAMPED] ? new Date() : undefined;
    const out: MappedColumn[] = [];
    const push = (name: string, source: MappedSource, nullAs: unknown) => {
      const col = to.spec.columns[name]!;
      // A value known now takes its zero value now: one binding, not a COALESCE per row.
      if (source.from === 'bound' && (source.value === null || source.value === undefined)) source = { from: 'bound', value: nullAs ?? null };
      else if (nullAs !== undefined && nullAs !== null && source.from !== 'bound') {
        out.push({ name, kind: col.kind, primaryKey: col.primaryKey, source, nullAs });
        return;
      }
      out.push({ name, kind: col.kind, primaryKey: col.primaryKey, source });
    };
    const fill = (name: string) => (name === STAMPED && stamp ? stamp : zeros[name]);
    for (const [name, rule] of Object.entries(columns)) push(name, sourceOf(rule, bound.get(name), inKind), fill(name));
    // Provenance from the input row, as the converter copies it (its fallbacks when the row has none).
    const fallback: Record<(typeof PROVENANCE)[number], unknown> = { _raw_data_params: params, _raw_data_table: rawTable, _raw_data_id: zeros._raw_data_id, _raw_data_remark: '' };
    for (const p of PROVENANCE) {
      if (from.spec.columns[p]) push(p, { from: 'column', column: p, kind: inKind(p) }, fallback[p] ?? zeros[p]);
      else push(p, { from: 'bound', value: fallback[p] ?? zeros[p] ?? null }, undefined);
    }
    for (const name of Object.keys(to.spec.columns)) {
      if (columns[name] || (PROVENANCE as readonly string[]).includes(name)) continue;
      const v = fill(name);
      if (v !== undefined) push(name, { from: 'bound', value: v }, undefined);
    }
    const conditions = Object.entries(where).map(([column, value]) => ({ column, value }));
    return { table: to.table, input: { from: 'table', table: from.table, where: conditions, orderBy: from.primaryKey }, columns: out, primaryKey: to.primaryKey };
  }

  async #runJs(bound: BoundValues, where: Row, reason: string | undefined): Promise<MappedConvertResult> {
    const { ctx, rawTable, from, to, columns } = this.#args;
    const toRow = convertRowFunction(columns, bound);
    const written = await new DataConverter({
      ctx,
      rawTable,
      params: this.#args.params,
      input: (db) => db(from.table).select('*').where(where),
      inputKey: [...from.primaryKey],
      inputColumns: from.spec.columns,
      outputs: [to],
      convert: (row) => [to.row(toRow(row))],
    }).execute();
    return { engine: 'js', ...(reason ? { reason } : {}), rows: written.get(to.table) ?? 0 };
  }
}

function sourceOf(rule: ConvertRule, value: unknown, inKind: (c: string) => ColumnKind): MappedSource {
  switch (rule.from) {
    case 'column':
      return { from: 'column', column: rule.column, kind: inKind(rule.column) };
    case 'text': {
      // Adjacent literals as one binding (a domain id's `prefix` and `:`).
      const parts: MappedTextPart[] = [];
      for (const p of rule.parts) {
        const last = parts[parts.length - 1];
        if (typeof p !== 'string') parts.push({ column: p.column, kind: inKind(p.column) });
        else if (last && 'literal' in last) parts[parts.length - 1] = { literal: last.literal + p };
        else if (p !== '') parts.push({ literal: p });
      }
      return { from: 'text', parts: parts.length > 0 ? parts : [{ literal: '' }] };
    }
    case 'map':
      return { from: 'map', column: rule.column, kind: inKind(rule.column), cases: Object.entries(rule.cases), otherwise: rule.otherwise };
    default:
      return { from: 'bound', value };
  }
}

/** Which column kinds hold the same values (a copy keeps them exactly). */
const FAMILY: Readonly<Record<ColumnKind, string>> = { string: 'text', text: 'text', int: 'integer', bigint: 'integer', uint64: 'integer', float: 'float', bool: 'bool', datetime: 'datetime', json: 'json' };

/**
 * Checks a declaration: every rule names columns that exist, of kinds it can
 * read; every key column is mapped; provenance is the converter's. Throws
 * DEVLAKE_E_CONVERT naming every problem.
 */
export function checkMappedConverter(args: Pick<MappedConverterArgs<any>, 'from' | 'to' | 'columns' | 'where'>): void {
  const { from, to, columns } = args;
  if (!from?.spec || !to?.spec || !columns) {
    throw new DevlakeError('DEVLAKE_E_CONVERT', 'A declarative converter needs from (a defineTable), to (a domain table or defineTable) and columns', {
      hint: 'Pass { from: MyToolTable, to: Issue, columns: { id: conv.domainId(gen, "connection_id", "id"), … } }.',
    });
  }
  const problems: string[] = [];
  const input = (c: string, what: string, kinds?: readonly ColumnKind[]) => {
    const spec = from.spec.columns[c];
    if (!spec) problems.push(`${what} reads "${c}", which ${from.table} does not declare`);
    else if (kinds && !kinds.includes(spec.kind)) problems.push(`${what} reads "${c}" as text, but it is a ${spec.kind} column (use conv.column)`);
    return spec;
  };
  for (const [name, rule] of Object.entries(columns)) {
    const out = to.spec.columns[name];
    const what = `column "${name}"`;
    if (!out) problems.push(`${what} is not declared in ${to.table}`);
    if ((PROVENANCE as readonly string[]).includes(name)) problems.push(`${what} is provenance, copied from the input row`);
    if (!rule || typeof rule !== 'object' || !RULES.includes((rule as { from?: string }).from ?? '')) {
      problems.push(`${what} needs a conv.*() rule`);
      continue;
    }
    if (rule.from === 'column') {
      const spec = input(rule.column, what);
      if (spec && out && FAMILY[spec.kind] !== FAMILY[out.kind]) problems.push(`${what} (${out.kind}) copies "${rule.column}" (${spec.kind}): use conv.text() for text, or a column of the same kind`);
    } else if (rule.from === 'text') {
      for (const p of rule.parts) if (typeof p !== 'string') input(p.column, what, TEXT_SOURCE_KINDS);
      if (out && FAMILY[out.kind] !== 'text') problems.push(`${what} is a ${out.kind} column; text rules write text columns`);
    } else if (rule.from === 'map') input(rule.column, what, TEXT_SOURCE_KINDS);
  }
  for (const k of to.primaryKey) if (!columns[k]) problems.push(`primary key column "${k}" has no rule`);
  for (const [c, value] of Object.entries(args.where ?? {})) {
    input(c, `where`);
    if (!value || !['scopeParams', 'constant', 'param'].includes((value as { from?: string }).from ?? '')) problems.push(`where "${c}" needs conv.scopeParams(), conv.param() or conv.constant()`);
  }
  for (const p of PROVENANCE) if (!to.spec.columns[p]) problems.push(`${to.table} lacks the provenance column ${p}`);
  if (problems.length > 0) {
    throw new DevlakeError('DEVLAKE_E_CONVERT', `Bad declarative converter for ${to.table}: ${problems.join('; ')}`, {
      hint: 'Map each primary key column with a conv.*() rule that reads columns the input table declares, into columns the output declares.',
    });
  }
}

/** Constants and params fields, computed once per run. */
function boundValues<TData>(args: MappedConverterArgs<TData>, params: string): BoundValues {
  const out: BoundValues = new Map();
  for (const [name, rule] of Object.entries(args.columns)) {
    if (rule.from === 'constant' || rule.from === 'param') out.set(name, bindValue(args, rule, params));
  }
  return out;
}

/** The `where` values; a NULL would match nothing in SQL and everything in a knex where: refused. */
function whereValues<TData>(args: MappedConverterArgs<TData>, params: string): Row {
  const out: Row = {};
  for (const [column, value] of Object.entries(args.where ?? {})) {
    const v = bindValue(args, value, params);
    if (v === null) {
      throw new DevlakeError('DEVLAKE_E_CONVERT', `${args.ctx.name}: the where value of "${column}" is null`, {
        hint: 'Give where a value every run has (a params field that is set, a constant), or drop the condition.',
      });
    }
    out[column] = v;
  }
  return out;
}

function bindValue<TData>(args: MappedConverterArgs<TData>, rule: WhereValue<TData>, params: string): unknown {
  if (rule.from === 'scopeParams') return params;
  if (rule.from === 'constant') {
    const v = typeof rule.value === 'function' ? rule.value(args.data ?? (args.ctx.getData() as TData)) : rule.value;
    return v ?? null;
  }
  const v = valueAt(JSON.parse(params), rule.steps);
  return v === undefined || v === null ? (rule.nullAs ?? null) : v;
}
