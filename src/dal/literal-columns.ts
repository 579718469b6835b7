import { ShapeCache } from './driver';

/**
 * Which columns of a batch insert to write as literals rather than bind: the
 * ones every row of a statement sets to the same NULL, short string or small
 * integer. Domain tables get DevLake's zero value in every column a converter
 * leaves unset (20-odd of `issues`' 38) and every tool row the same
 * provenance params and table: binding those 100 k times was about a quarter
 * of a converter's insert on SQLite. No SQL here: each dialect writes the
 * literal (src/dal/<dialect>/).
 */

/** Statements of fewer rows bind everything: a remainder is not worth a statement shape of its own. */
export const MIN_ROWS_FOR_LITERALS = 64;

/** Strings up to this length may be literals. */
const MAX_LITERAL_TEXT = 256;

/** Column index → its value in every row of the statement. */
export type LiteralColumns = ReadonlyMap<number, unknown>;

/**
 * Remembers per plan the literal columns its first statement of
 * {@link MIN_ROWS_FOR_LITERALS}+ rows had, so a plan has at most two shapes
 * per statement size (with those literals, or all bound): a column constant
 * in one batch only does not prepare a new statement per batch.
 */
export class LiteralPlans {
  readonly #byPlan = new ShapeCache<LiteralColumns>(256);

  /** The literal columns for `values[from, to)` (rows `width` wide) of the plan keyed `planKey`, or undefined to bind everything. */
  forStatement(planKey: string, values: readonly unknown[], from: number, to: number, width: number): LiteralColumns | undefined {
    if ((to - from) / width < MIN_ROWS_FOR_LITERALS) return undefined;
    const literals = this.#byPlan.get(planKey, () => constantColumns(values, from, to, width));
    return literals.size > 0 && holds(literals, values, from, to, width) ? literals : undefined;
  }
}

/** The values of `values[from, to)` left to bind: every column but the literal ones, row by row. */
export function boundValues(values: readonly unknown[], from: number, to: number, width: number, literals: LiteralColumns): unknown[] {
  const bound = new Array<unknown>(((to - from) / width) * (width - literals.size));
  // The bound columns once per statement, not a Map lookup per value (this runs for every value written).
  const columns: number[] = [];
  for (let c = 0; c < width; c++) if (!literals.has(c)) columns.push(c);
  const n = columns.length;
  let b = 0;
  for (let i = from; i < to; i += width) for (let k = 0; k < n; k++) bound[b++] = values[i + columns[k]!];
  return bound;
}

/** Columns whose value is the same literal-worthy value in every row of `values[from, to)`. */
function constantColumns(values: readonly unknown[], from: number, to: number, width: number): LiteralColumns {
  const found = new Map<number, unknown>();
  for (let c = 0; c < width; c++) {
    const v = values[from + c];
    if (!literalWorthy(v)) continue;
    let same = true;
    for (let i = from + width + c; i < to; i += width) {
      if (values[i] !== v) {
        same = false;
        break;
      }
    }
    if (same) found.set(c, v);
  }
  return found;
}

/** Whether every row of `values[from, to)` has each literal column's value. */
function holds(literals: LiteralColumns, values: readonly unknown[], from: number, to: number, width: number): boolean {
  for (const [c, v] of literals) {
    for (let i = from + c; i < to; i += width) if (values[i] !== v) return false;
  }
  return true;
}

/** NULL, short strings without NUL and small integers: values a literal stores exactly as binding them does. */
function literalWorthy(v: unknown): boolean {
  if (v === null) return true;
  if (typeof v === 'string') return v.length <= MAX_LITERAL_TEXT && !v.includes('\u0000');
  return typeof v === 'number' && Number.isSafeInteger(v) && Math.abs(v) < 1e9;
}
