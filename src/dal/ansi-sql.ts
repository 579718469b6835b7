import type { InsertPlan } from './driver';

/**
 * The INSERT text SQLite and Postgres share (standard double-quoted
 * identifiers, `ON CONFLICT … DO UPDATE SET c = excluded.c`); only the
 * placeholder differs. MySQL writes its own (backticks, ON DUPLICATE KEY).
 */

/** `"a"`, `"s"."t"`: identifiers quoted as knex quotes them (a dot separates the schema). */
export function quoteIdentifier(name: string): string {
  return name
    .split('.')
    .map((part) => `"${part.replace(/"/g, '""')}"`)
    .join('.');
}

/** INSERT … VALUES (…), (…) [ON CONFLICT …] for `rowCount` rows; `mark(n)` is the n-th placeholder (1-based). */
export function conflictInsertSql(plan: InsertPlan, rowCount: number, mark: (n: number) => string): string {
  const width = plan.columns.length;
  let n = 0;
  const tuples: string[] = new Array(rowCount);
  for (let r = 0; r < rowCount; r++) {
    const marks: string[] = new Array(width);
    for (let c = 0; c < width; c++) marks[c] = mark(++n);
    tuples[r] = `(${marks.join(', ')})`;
  }
  const sql = `INSERT INTO ${quoteIdentifier(plan.table)} (${plan.columns.map(quoteIdentifier).join(', ')}) VALUES ${tuples.join(', ')}`;
  return plan.onConflict ? sql + onConflictClause(plan.onConflict.keys, plan.onConflict.merge) : sql;
}

/** ` ON CONFLICT (keys) DO UPDATE SET c = excluded.c, …`, or `DO NOTHING` when there is nothing to merge. */
export function onConflictClause(keys: readonly string[], merge: readonly string[]): string {
  const target = keys.map(quoteIdentifier).join(', ');
  return merge.length === 0
    ? ` ON CONFLICT (${target}) DO NOTHING`
    : ` ON CONFLICT (${target}) DO UPDATE SET ${merge.map((c) => `${quoteIdentifier(c)} = excluded.${quoteIdentifier(c)}`).join(', ')}`;
}
