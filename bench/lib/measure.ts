/**
 * The shape of one benchmark. A measure times our path and a ceiling in the
 * same run, on the same machine, and reports the ratio: shared machines are
 * noisy, so only the ratio is compared with the goal.
 */

/** A goal for a ratio: at least, at most, or within a range. */
export type Goal = { min: number } | { max: number } | { min: number; max: number };

/** One figure of a measure (a measure may report several, e.g. insert and upsert). */
export interface BenchResult {
  /** `raw_insert_sqlite`, or `extract_pg.upsert` for a variant. */
  name: string;
  /** Our figure, in `unit`. */
  value: number;
  /** The ceiling's figure, in `unit` (null when there is no ceiling, e.g. a plain limit). */
  ceiling: number | null;
  /** The compared number: see `ratioOf` for its direction. */
  ratio: number;
  /** e.g. `rows/s`, `ms`, `MB`. */
  unit: string;
  /** Null for a figure reported for reference only (a ceiling on its own, an older ratio). */
  goal: Goal | null;
  /** Input size the figure was measured with, e.g. `100000 rows`. */
  size: string;
  /** Anything needed to read the figure (ceiling used, secondary figures). */
  note?: string;
}

/** What a measure gets from the runner. */
export interface BenchContext {
  /** Smaller sizes, for a smoke run in under a minute. */
  quick: boolean;
  /** Progress lines on stderr; the table goes to stdout. */
  log(message: string): void;
}

/** One benchmark file's export. */
export interface Measure {
  /** The name `--only` selects, e.g. `raw_insert_sqlite`. */
  name: string;
  /** One line: our path against which ceiling. */
  description: string;
  run(ctx: BenchContext): Promise<BenchResult[]>;
}

/** Whether `ratio` meets `goal`. */
export function meets(ratio: number, goal: Goal | null): boolean {
  if (goal === null) return true;
  if ('min' in goal && ratio < goal.min) return false;
  if ('max' in goal && ratio > goal.max) return false;
  return Number.isFinite(ratio);
}

/** `≥ 0.9`, `≤ 1.2`, `0.98–1.02`. */
export function formatGoal(goal: Goal | null): string {
  if (goal === null) return '—';
  if ('min' in goal && 'max' in goal) return `${goal.min}–${goal.max}`;
  return 'min' in goal ? `≥ ${goal.min}` : `≤ ${goal.max}`;
}
