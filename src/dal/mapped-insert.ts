import type { MappingConversion, PathStep } from '../core/extract-mapping';
import type { ColumnKind } from '../core/table';

/**
 * A declarative extraction or conversion as one statement's plan, with no SQL
 * in it: each dialect (src/dal/<dialect>/mapped-insert.ts) compiles it to
 * `INSERT INTO table (…) SELECT … FROM rawTable WHERE params = ? ORDER BY id`
 * (extraction) or `… FROM toolTable WHERE c = ? … ORDER BY key` (conversion)
 * with its upsert clause, or says which rule it cannot express exactly.
 */

/** Where one column's value comes from. */
export type MappedSource =
  | { readonly from: 'json'; readonly steps: readonly PathStep[]; readonly as: MappingConversion }
  /** A value fixed for the statement (constants, params fields, provenance), bound as given (through the dialect's toDriver). */
  | { readonly from: 'bound'; readonly value: unknown }
  /** The raw row's id (`_raw_data_id`). */
  | { readonly from: 'rawId' }
  /** A column of the input table (conversion), as it is; `kind` is its declared kind. */
  | { readonly from: 'column'; readonly column: string; readonly kind: ColumnKind }
  /** Literals and input columns joined as text (integers in decimal); NULL when a column is NULL. */
  | { readonly from: 'text'; readonly parts: readonly MappedTextPart[] }
  /** An input column's text looked up in `cases` (exact comparison), else `otherwise`; values bound as given. */
  | { readonly from: 'map'; readonly column: string; readonly kind: ColumnKind; readonly cases: readonly (readonly [string, unknown])[]; readonly otherwise: unknown };

/** A piece of a `text` source. */
export type MappedTextPart = { readonly literal: string } | { readonly column: string; readonly kind: ColumnKind };

/** The input kinds a `text` or `map` source reads as text in SQL: decimal integers and strings. */
export const TEXT_SOURCE_KINDS: readonly ColumnKind[] = Object.freeze(['string', 'text', 'int', 'bigint', 'uint64']);

/** One column of the target table. */
export interface MappedColumn {
  readonly name: string;
  /** The declared kind of the target column: the type the value is cast to. */
  readonly kind: ColumnKind;
  readonly primaryKey: boolean;
  readonly source: MappedSource;
  /** Written when the source gives NULL (bound): a rule's `nullAs`, a domain table's zero value. */
  readonly nullAs?: unknown;
}

/** The rows a statement reads: raw rows of one params (extraction), or a table's rows (conversion). */
export type MappedInput =
  | { readonly from: 'raw'; readonly rawTable: string; readonly params: string }
  | {
      readonly from: 'table';
      readonly table: string;
      /** Column = value conditions, all of them (values bound as given). */
      readonly where: readonly { readonly column: string; readonly value: unknown }[];
      /** The input's key: rows are read in its order (the last row of an output key wins). */
      readonly orderBy: readonly string[];
    };

/** The statement: rows of `input` → `table`, upserted on `primaryKey`. */
export interface MappedInsertPlan {
  readonly table: string;
  readonly input: MappedInput;
  readonly columns: readonly MappedColumn[];
  readonly primaryKey: readonly string[];
}

/** A compiled statement, or why the dialect cannot run the plan exactly (the caller then runs it in JavaScript). */
export type CompiledMappedInsert = { readonly sql: string; readonly bindings: readonly unknown[] } | { readonly unsupported: string };

/** JSON path steps as the `$."a"[0]."b"` text SQLite and MySQL take (keys are checked by parsePath). */
export function dollarPath(steps: readonly PathStep[]): string {
  return '$' + steps.map((s) => (typeof s === 'number' ? `[${s}]` : `."${s}"`)).join('');
}

/**
 * Each column's SQL expression, in column order, or the first column a
 * dialect cannot express (`{ unsupported }`: the extractor then runs in
 * JavaScript). `expression` may push bindings as it goes.
 */
export function columnExpressions(plan: MappedInsertPlan, expression: (c: MappedColumn) => string | { unsupported: string }): string[] | { unsupported: string } {
  const exprs: string[] = [];
  for (const c of plan.columns) {
    const e = expression(c);
    if (typeof e !== 'string') return e;
    exprs.push(e);
  }
  return exprs;
}
