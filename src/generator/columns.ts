import { devlakeTime } from '../core/mapping-values';
import { formatGoFloat, formatTimestamp } from '../testing/format-value';
import { quoteTs } from './render';

/**
 * A tool table's columns as the generator sees them: where each comes from in
 * the API record, its column type, and how it is written in the migration,
 * the model, the extractor and the snapshot fixture. Pure; no I/O.
 */

/** Column types a generated table uses (the knex builder in parentheses). */
export type ColumnType =
  /** `string(length)` (varchar) */
  | 'string'
  /** `text`: strings longer than 255 characters */
  | 'text'
  /** `integer`: whole numbers within 32 bits */
  | 'integer'
  /** `bigInteger`: whole numbers beyond 32 bits */
  | 'bigint'
  /** `col.uint64()`: unsigned 64-bit (Go uint64), stored as a signed bigint */
  | 'uint64'
  /** `double` */
  | 'float'
  /** `boolean` */
  | 'boolean'
  /** `timestamp` with time zone: ISO 8601 / RFC 3339 strings */
  | 'datetime'
  /** `text` holding the value as JSON: arrays and objects kept whole */
  | 'json';

export const COLUMN_TYPES: readonly ColumnType[] = ['string', 'text', 'integer', 'bigint', 'uint64', 'float', 'boolean', 'datetime', 'json'];

/** defineTable's kinds (as `--columns` names them) → the generator's column types. */
export const KINDS: Readonly<Record<string, ColumnType>> = {
  string: 'string',
  text: 'text',
  bigint: 'bigint',
  int: 'integer',
  uint64: 'uint64',
  float: 'float',
  bool: 'boolean',
  datetime: 'datetime',
  json: 'json',
};

/** A column's type as a defineTable kind, e.g. `string(64)`, `int`, `json`. */
export function kindName(c: { type: ColumnType; length?: number }): string {
  if (c.type === 'string') return `string(${c.length ?? 255})`;
  return Object.entries(KINDS).find(([, t]) => t === c.type)![0];
}

/** One column of a generated tool table. */
export interface ColumnSpec {
  /** snake_case column name, e.g. `user_login`. */
  column: string;
  /** Where the value is in the API record, e.g. `['user', 'login']`. */
  path: string[];
  type: ColumnType;
  /** For `string`: the varchar length. */
  length?: number;
  /** A record may lack the value or have it null. */
  nullable: boolean;
  /** Part of the table's primary key (in the order of the table's columns). */
  primaryKey?: boolean;
  /** The value can be a number or a string in the record (a key given without a sample): written as text. */
  loose?: boolean;
  /** The value is a field of the run's params (`path[0]`, e.g. `ConnectionId`), not of the record: declarative extractors only. */
  param?: boolean;
  /** A record without the value stores Go's zero value (`''`, `0`, `false`) instead of NULL, as DevLake's non-pointer fields do. */
  zero?: boolean;
}

/** The zero value a `zero` column stores for a missing value, as TypeScript; undefined for kinds Go keeps NULL (times, JSON). */
export function zeroValue(c: ColumnSpec): string | undefined {
  if (!c.zero || c.loose || c.param) return undefined;
  if (c.type === 'string' || c.type === 'text') return "''";
  if (c.type === 'boolean') return 'false';
  return ['integer', 'bigint', 'uint64', 'float'].includes(c.type) ? '0' : undefined;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `.login` or `['x-y']`: a property access that is valid for any key. */
function access(key: string, optional: boolean): string {
  if (IDENT.test(key)) return `${optional ? '?.' : '.'}${key}`;
  return `${optional ? '?.' : ''}[${quoteTs(key)}]`;
}

/** `record.user?.login`: optional after every nullable parent. */
export function recordAccess(record: string, c: ColumnSpec, nullableParents: (path: string[]) => boolean): string {
  return c.path.reduce((expr, key, i) => expr + access(key, i > 0 && nullableParents(c.path.slice(0, i))), record);
}

/** The TypeScript type of the column in the model's row interface. */
export function rowType(c: ColumnSpec): string {
  const base = ({ string: 'string', text: 'string', integer: 'number', bigint: 'number', uint64: 'number', float: 'number', boolean: 'boolean', datetime: 'Date', json: 'string' } as const)[c.type];
  return c.nullable ? `${base} | null` : base;
}

/** The TypeScript type of the value in the API record (a leaf of the record interface). */
export function recordType(c: ColumnSpec): string {
  if (c.loose) return c.nullable ? 'string | number | null' : 'string | number';
  const base = ({ string: 'string', text: 'string', integer: 'number', bigint: 'number', uint64: 'number', float: 'number', boolean: 'boolean', datetime: 'string', json: 'unknown' } as const)[c.type];
  return c.nullable && c.type !== 'json' ? `${base} | null` : base;
}

/** The extractor's expression for the column, given the record access expression. */
export function extractExpr(c: ColumnSpec, value: string): string {
  // `?? ''`: a record without the value must not become the text "undefined"; '' in a key fails with DEVLAKE_E_MODEL.
  if (c.loose) return c.nullable ? `${value} === undefined || ${value} === null ? null : String(${value})` : `String(${value} ?? '')`;
  if (c.type === 'datetime') return c.nullable ? `${value} ? new Date(${value}) : null` : `new Date(${value})`;
  if (c.type === 'json') return c.nullable ? `${value} === undefined || ${value} === null ? null : JSON.stringify(${value})` : `JSON.stringify(${value})`;
  const zero = zeroValue(c);
  if (zero !== undefined) return `${value} ?? ${zero}`;
  return c.nullable ? `${value} ?? null` : value;
}

/** Keys a declarative extractor's JSON path can hold (pick's path syntax). */
const PICK_KEY = /^[A-Za-z0-9_$@\- ]+$/;

/** Why a declarative extractor cannot read the column, or undefined when it can. */
export function unpickable(c: ColumnSpec): string | undefined {
  const bad = c.path.find((k) => !PICK_KEY.test(k));
  return bad === undefined ? undefined : `${c.column} (${c.path.join('.')}: the key ${JSON.stringify(bad)} cannot be a pick path)`;
}

/** The declarative extractor's rule for the column: `pick.time('milestone.due_on')`. */
export function pickRule(c: ColumnSpec): string {
  if (c.param) return `pick.param(${quoteTs(c.path.join('.'))})`;
  const rule = c.loose
    ? 'asIs'
    : // pick.int reads 64 bits exactly (pick.bigint is the same rule): one name for every integer, as the plugins write it.
      ({ string: 'asIs', text: 'asIs', integer: 'int', bigint: 'int', uint64: 'int', float: 'float', boolean: 'bool', datetime: 'time', json: 'json' } as const)[c.type];
  const zero = zeroValue(c);
  return `pick.${rule}(${quoteTs(c.path.join('.'))}${zero === undefined ? '' : `, { nullAs: ${zero} }`})`;
}

/** The column's declaration in `defineTable` (`col.string(255).notNull()`), and a note shown beside it. */
export function tableDecl(c: ColumnSpec): { decl: string; note?: string } {
  const base = {
    string: `col.string(${c.length ?? 255})`,
    text: 'col.text()',
    integer: 'col.int()',
    bigint: 'col.bigint()',
    uint64: 'col.uint64()',
    float: 'col.float()',
    boolean: 'col.bool()',
    datetime: 'col.datetime()',
    // Kept as the record's JSON text, so snapshots compare the same on every database.
    json: 'col.text()',
  }[c.type];
  const decl = c.primaryKey ? `${base}.primaryKey()` : c.nullable ? base : `${base}.notNull()`;
  const where = c.path.length > 1 ? `← ${c.path.join('.')}` : undefined;
  const note = [c.type === 'json' ? 'JSON text' : undefined, where].filter(Boolean).join(', ');
  return note ? { decl, note } : { decl };
}

/** The knex builder call of the column in the migration, e.g. `t.string('login', 255)`. */
export function knexColumn(c: ColumnSpec): string {
  const name = quoteTs(c.column);
  const call = {
    string: `t.string(${name}, ${c.length ?? 255})`,
    text: `t.text(${name})`,
    integer: `t.integer(${name})`,
    bigint: `t.bigInteger(${name})`,
    uint64: `t.bigInteger(${name})`,
    float: `t.double(${name})`,
    boolean: `t.boolean(${name})`,
    datetime: `t.timestamp(${name}, { useTz: true })`,
    json: `t.text(${name})`,
  }[c.type];
  return c.nullable || c.primaryKey ? call : `${call}.notNullable()`;
}

/** The value at `path` in a record, or undefined. */
export function valueAt(record: unknown, path: readonly string[]): unknown {
  let v: unknown = record;
  for (const key of path) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/**
 * How DataFlowTester's snapshot shows what the extractor writes for `record`
 * (see src/testing/format-value.ts): the column's pick rule applied, so a value
 * of another JSON type than the rule takes is NULL (empty), as pick gives it.
 */
export function snapshotValue(c: ColumnSpec, record: unknown): string {
  const value = pickedValue(c, record);
  const zero = zeroValue(c);
  // DataFlowTester shows false as 0, and '' like NULL.
  return value === '' && zero !== undefined ? ({ "''": '', '0': '0', false: '0' } as Record<string, string>)[zero]! : value;
}

/** {@link snapshotValue} before a zero value replaces NULL. */
function pickedValue(c: ColumnSpec, record: unknown): string {
  const v = valueAt(record, c.path);
  if (v === undefined || v === null) return '';
  if (c.loose) return String(v);
  switch (c.type) {
    case 'datetime': {
      const d = devlakeTime(v);
      return d ? formatTimestamp(d) : '';
    }
    case 'boolean':
      return typeof v === 'boolean' ? (v ? '1' : '0') : '';
    case 'integer':
    case 'bigint':
    case 'uint64':
      return typeof v === 'number' ? String(Math.trunc(v)) : '';
    case 'float':
      return typeof v === 'number' ? formatGoFloat(v) : '';
    case 'json':
      return JSON.stringify(v);
    default:
      return typeof v === 'object' ? '' : String(v);
  }
}

/** A CSV field, quoted when needed (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** CSV text of a header and rows. */
export function csv(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  return [header, ...rows].map((cols) => cols.map(csvField).join(',')).join('\n') + '\n';
}

/**
 * The record interface's body: nested objects become nested type literals, so
 * `record.user?.login` type-checks. `indent` is the body's indentation.
 */
export function recordInterface(columns: readonly ColumnSpec[], nullableParents: (path: string[]) => boolean, indent = '  '): string {
  interface Node {
    leaf?: ColumnSpec;
    children: Map<string, Node>;
  }
  const root: Node = { children: new Map() };
  for (const c of columns) {
    let node = root;
    for (const key of c.path) {
      if (!node.children.has(key)) node.children.set(key, { children: new Map() });
      node = node.children.get(key)!;
    }
    node.leaf = c;
  }
  const prop = (key: string) => (IDENT.test(key) ? key : quoteTs(key));
  const render = (node: Node, path: string[], pad: string): string[] =>
    [...node.children.entries()].flatMap(([key, child]) => {
      const here = [...path, key];
      // A json column with columns inside it (raw=q.r and deep=q.r.s): typed as the object, which it stringifies as well.
      if (child.leaf && child.children.size === 0) return [`${pad}${prop(key)}${child.leaf.nullable ? '?' : ''}: ${recordType(child.leaf)};`];
      const optional = nullableParents(here);
      return [`${pad}${prop(key)}${optional ? '?' : ''}: {`, ...render(child, here, `${pad}  `), `${pad}}${optional ? ' | null' : ''};`];
    });
  return render(root, [], indent).join('\n');
}

/** A tool table to generate: its columns and the records its fixtures are made of. */
export interface TableShape {
  columns: ColumnSpec[];
  /** Paths (joined with `.`) of nested objects that are missing or null in some record. */
  nullableObjects: string[];
  /** API records, in order: the extractor test's raw fixture. */
  records: unknown[];
}

/** The primary key columns of a shape, in column order. */
export function keyColumns(shape: TableShape): ColumnSpec[] {
  return shape.columns.filter((c) => c.primaryKey);
}
