/**
 * A declarative extractor's mapping as plain data: for each column of the
 * target table, where its value comes from (a JSON path in the raw record, a
 * params field, a constant) and how it is converted. Being data, the same
 * declaration compiles to one `INSERT … SELECT` per database (src/dal/<dialect>/mapped-insert.ts)
 * and runs in JavaScript (src/helpers/mapping-js.ts) where a database lacks
 * what a rule needs; both write the same rows.
 *
 * @example
 * columns: {
 *   connection_id: pick.constant((data) => data.options.connectionId),
 *   github_id: pick.int('id'),
 *   title: pick.asIs('title', { nullAs: '' }),
 *   author: pick.asIs('user.login'),           // nested path
 *   first_label: pick.asIs('labels[0].name'),  // array element
 *   closed_at: pick.time('closed_at'),
 *   repo: pick.param('Name'),
 * }
 */

/**
 * How a JSON value becomes a column value. A value absent, JSON `null`, or of
 * another JSON type than the conversion takes gives NULL (then `nullAs`).
 *
 * - `asIs`: a JSON string, number or boolean unconverted (integers exact beyond 2^53); the
 *   column's type stores it. For scalars: an object or array under `asIs` is not specified, use `json`.
 * - `int` / `bigint`: a JSON number, truncated toward zero (exact beyond 2^53, within 64 bits).
 * - `float`: a JSON number, as a double.
 * - `bool`: JSON `true` / `false`.
 * - `time`: a JSON string `YYYY-MM-DD[(T| )HH:MM[:SS[.fraction]][Z|±HH[[:]MM]]]` naming a real
 *   date and time (DevLake's Iso8601Time; no zone means UTC), to the millisecond (the fraction is truncated).
 * - `json`: the value's JSON text exactly as the raw record holds it (Go's `json.RawMessage`).
 */
export type MappingConversion = 'asIs' | 'int' | 'bigint' | 'float' | 'bool' | 'time' | 'json';

/** One step of a JSON path: an object key or an array index. */
export type PathStep = string | number;

/** Options every rule takes. */
export interface PickOptions {
  /** The value written when the rule gives NULL, e.g. Go's zero value `0` or `''`. Default: NULL. */
  nullAs?: string | number | boolean | bigint;
}

/** A value read from the raw record's JSON. */
export interface JsonPick {
  readonly from: 'json';
  /** The path as written, e.g. `user.login`, `labels[0].name`. */
  readonly path: string;
  readonly steps: readonly PathStep[];
  readonly as: MappingConversion;
  readonly nullAs?: PickOptions['nullAs'];
}

/** A field of the scope params (`pick.param('Name')`). */
export interface ParamPick {
  readonly from: 'param';
  readonly path: string;
  readonly steps: readonly PathStep[];
  readonly nullAs?: PickOptions['nullAs'];
}

/** A value fixed for the run: given, or computed once from the task data. */
export interface ConstantPick<TData = any> {
  readonly from: 'constant';
  readonly value: Scalar | ((data: TData) => Scalar);
}

/** What a constant or a params field may be. */
export type Scalar = string | number | boolean | bigint | Date | null;

/** One column's rule. */
export type ColumnRule<TData = any> = JsonPick | ParamPick | ConstantPick<TData>;

/** Column name → rule, for the columns the extractor sets (provenance columns are set for you). */
export type MappingColumns<TData = any> = Readonly<Record<string, ColumnRule<TData>>>;

const KEY = /^[A-Za-z0-9_$@\- ]+$/;

/**
 * Parses `a.b[0].c` into `['a', 'b', 0, 'c']`. Keys are letters, digits, `_`,
 * `$`, `@`, `-` and spaces (they are written into SQL path literals).
 */
export function parsePath(path: string): PathStep[] {
  const steps: PathStep[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|(\.)/gy;
  let expectKey = true;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < path.length && (m = re.exec(path)) !== null) {
    at = re.lastIndex;
    if (m[1] !== undefined) {
      if (!expectKey || !KEY.test(m[1])) throw badPath(path);
      steps.push(m[1]);
      expectKey = false;
    } else if (m[2] !== undefined) {
      if (steps.length === 0 && expectKey) throw badPath(path);
      steps.push(Number(m[2]));
      expectKey = false;
    } else {
      if (expectKey) throw badPath(path);
      expectKey = true;
    }
  }
  if (at !== path.length || expectKey || steps.length === 0) throw badPath(path);
  return steps;
}

function badPath(path: string): TypeError {
  return new TypeError(`Bad JSON path "${path}": use keys and indexes like user.login or labels[0].name (keys: letters, digits, _ $ @ - and spaces)`);
}

function json(as: MappingConversion) {
  return (path: string, options: PickOptions = {}): JsonPick =>
    Object.freeze({ from: 'json' as const, path, steps: Object.freeze(parsePath(path)), as, ...(options.nullAs !== undefined ? { nullAs: options.nullAs } : {}) });
}

/**
 * Rule builders for a declarative extractor's columns (see the module comment).
 * Each path reads the raw record: `id`, `user.login`, `labels[0].name`.
 */
export const pick = Object.freeze({
  /** The JSON string, number or boolean at `path`, unconverted: the column's type stores it. The fastest rule. */
  asIs: json('asIs'),
  /** A JSON number at `path`, truncated to an integer (exact beyond 2^53); else NULL. */
  int: json('int'),
  /** The same as {@link pick.int}, for 64-bit columns. */
  bigint: json('bigint'),
  /** A JSON number at `path` as a double; else NULL. */
  float: json('float'),
  /** JSON `true`/`false` at `path`; else NULL. */
  bool: json('bool'),
  /** A DevLake timestamp string at `path` (RFC 3339, `±HHMM` offsets, no zone = UTC) to the millisecond; else NULL. */
  time: json('time'),
  /** The exact JSON text at `path` (Go's json.RawMessage); NULL when absent or `null`. Runs in JavaScript on every database. */
  json: json('json'),
  /** A field of the scope params, e.g. `pick.param('Name')`. */
  param: (path: string, options: PickOptions = {}): ParamPick =>
    Object.freeze({ from: 'param' as const, path, steps: Object.freeze(parsePath(path)), ...(options.nullAs !== undefined ? { nullAs: options.nullAs } : {}) }),
  /** The same value in every row: given, or computed once per run from the task data: `pick.constant((d) => d.options.connectionId)`. */
  constant: <TData = any>(value: Scalar | ((data: TData) => Scalar)): ConstantPick<TData> => Object.freeze({ from: 'constant' as const, value }),
});
