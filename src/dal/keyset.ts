import type { Knex } from 'knex';

/**
 * Keyset conditions for a composite key, in knex builder terms (no SQL text):
 * the dialects pick the one their planner answers with index ranges.
 */

/** Keyset by levels: (k0 = ? AND … AND ki > ?) for i from the last key column down, each an index range, consecutive in key order. */
export async function keysetByLevels<T>(
  knex: Knex,
  query: (db: Knex) => Knex.QueryBuilder,
  key: readonly string[],
  last: readonly unknown[],
  limit: number,
  select: (q: Knex.QueryBuilder, limit: number) => Promise<T[]>,
): Promise<T[]> {
  const out: T[] = [];
  for (let level = key.length - 1; level >= 0 && out.length < limit; level--) {
    let q = query(knex);
    for (let j = 0; j < level; j++) q = q.where(key[j]!, last[j] as Knex.Value);
    q = q.where(key[level]!, '>', last[level] as Knex.Value);
    for (const row of await select(q, limit - out.length)) out.push(row);
  }
  return out;
}

/** Keyset by one row-value comparison `(k0, k1) > (?, ?)`: one query, for planners that use an index for it (Postgres). */
export function keysetByRowValue<T>(
  knex: Knex,
  query: (db: Knex) => Knex.QueryBuilder,
  key: readonly string[],
  last: readonly unknown[],
  limit: number,
  select: (q: Knex.QueryBuilder, limit: number) => Promise<T[]>,
): Promise<T[]> {
  const bound = query(knex).whereRaw(`(${key.map(() => '??').join(', ')}) > (${key.map(() => '?').join(', ')})`, [...key, ...(last as Knex.Value[])]);
  return select(bound, limit);
}
