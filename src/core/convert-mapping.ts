import { pick, type ConstantPick, type ParamPick, type Scalar } from './extract-mapping';

/**
 * A declarative converter's mapping as plain data: for each column of the
 * output (domain) table, which column(s) of the input (tool) row it comes
 * from and how. The same declaration compiles to one `INSERT … SELECT` per
 * database (src/dal/<dialect>/mapped-insert.ts) and runs in JavaScript
 * (src/helpers/mapping-js.ts) as the `converter` would; both write the same rows.
 *
 * Columns a mapping leaves out get the output table's zero values (a DevLake
 * domain table's ''/0/false, as the `converter` writes them); provenance
 * (`_raw_data_*`) is copied from the input row.
 *
 * A rule whose input column is NULL gives NULL (then the zero value): a text
 * rule with one NULL part is NULL as a whole, as in SQL.
 *
 * @example
 * columns: {
 *   id: conv.domainId(issueIdGen, 'connection_id', 'github_id'),
 *   url: conv.concat('https://github.com/org/repo/issues/', conv.column('number')),
 *   issue_key: conv.text('number'),
 *   title: conv.column('title'),
 *   type: conv.constant('ISSUE'),
 *   status: conv.map('state', { closed: 'DONE' }, { default: 'TODO' }),
 * }
 */

/** An input column's value, unconverted (the output column must be of the same family: text, integer, …). */
export interface ColumnConv {
  readonly from: 'column';
  readonly column: string;
}

/** One piece of a text rule: a literal, or an input column's text (integers in decimal). */
export type TextPart = string | ColumnConv;

/** Text made of literals and input columns, e.g. a URL or a DevLake domain id. */
export interface TextConv {
  readonly from: 'text';
  readonly parts: readonly TextPart[];
}

/** An input column's value (its text) looked up in a table of values, with a default. */
export interface MapConv {
  readonly from: 'map';
  readonly column: string;
  /** Input text → output value; keys compare exactly (case, spaces and accents count). */
  readonly cases: Readonly<Record<string, Scalar>>;
  /** The value of every other input, NULL included. */
  readonly otherwise: Scalar;
}

/** One output column's rule: from the input row, or a constant or params field (`pick.constant`, `pick.param`). */
export type ConvertRule<TData = any> = ColumnConv | TextConv | MapConv | ConstantPick<TData> | ParamPick;

/**
 * What `conv.domainId` needs of a `DomainIdGenerator` (src/helpers/didgen.ts),
 * stated here so the authoring layer does not import helpers/ (folder cycle).
 */
export interface DomainIdPrefix {
  /** `<plugin>:<Model>`, the text before the key parts. */
  readonly prefix: string;
  /** Throws when the number of parts is not the one the generator was made with. */
  generate(...parts: number[]): string;
}

/** Output column name → rule. */
export type ConvertColumns<TData = any> = Readonly<Record<string, ConvertRule<TData>>>;

/** The task's scope params as stored in `_raw_data_params` (their JSON text), for `where`. */
export interface ScopeParamsConv {
  readonly from: 'scopeParams';
}

/** A `where` value: the scope params, a params field or a constant. */
export type WhereValue<TData = any> = ScopeParamsConv | ConstantPick<TData> | ParamPick;

/** Input column → the value it must equal (all must hold): `{ _raw_data_params: conv.scopeParams() }`. */
export type ConvertWhere<TData = any> = Readonly<Record<string, WhereValue<TData>>>;

const column = (name: string): ColumnConv => Object.freeze({ from: 'column' as const, column: name });

/** Rule builders for a declarative converter's columns (see the module comment). Names are input columns. */
export const conv = Object.freeze({
  /** The input column's value as it is: `title: conv.column('title')`. */
  column,
  /** Literals and input columns joined: `conv.concat('https://x/issues/', conv.column('number'))`. */
  concat: (...parts: TextPart[]): TextConv => Object.freeze({ from: 'text' as const, parts: Object.freeze([...parts]) }),
  /** An input column as text (`String(number)`: integers in decimal, exact beyond 2^53). */
  text: (name: string): TextConv => Object.freeze({ from: 'text' as const, parts: Object.freeze([column(name)]) }),
  /**
   * The DevLake domain id of the input row, exactly as `generator.generate(row[c1], row[c2], …)`
   * (`github:GithubIssue:1:346842831`); NULL when a part is NULL.
   */
  domainId: (generator: DomainIdPrefix, ...columns: string[]): TextConv => {
    generator.generate(...columns.map(() => 0)); // checks the part count the generator was made with
    const parts: TextPart[] = [generator.prefix];
    for (const c of columns) parts.push(':', column(c));
    return Object.freeze({ from: 'text' as const, parts: Object.freeze(parts) });
  },
  /**
   * The input column's text looked up in `cases`, else `options.default` (NULL when not given):
   * `conv.map('state', { closed: 'DONE' }, { default: 'TODO' })` for `state === 'closed' ? 'DONE' : 'TODO'`.
   */
  map: (name: string, cases: Readonly<Record<string, Scalar>>, options: { default?: Scalar } = {}): MapConv =>
    Object.freeze({ from: 'map' as const, column: name, cases: Object.freeze({ ...cases }), otherwise: options.default ?? null }),
  /** The same value in every row: given, or computed once per run from the task data (as `pick.constant`). */
  constant: pick.constant,
  /** A field of the scope params, e.g. `conv.param('ConnectionId')` (as `pick.param`). */
  param: pick.param,
  /** For `where`: the task's scope params as the tool rows store them in `_raw_data_params`. */
  scopeParams: (): ScopeParamsConv => Object.freeze({ from: 'scopeParams' as const }),
});
