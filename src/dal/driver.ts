import type { Knex } from 'knex';

/**
 * Driver-level pieces every dialect's hot paths share: the connection knex
 * uses, and how a batch write is cut into statements. No SQL text here.
 */

/** What to do with a row whose key already exists. */
export type OnConflict =
  | { keys: readonly string[]; merge: readonly string[] } // update `merge` from the new row (ignore the row when empty)
  | null; // plain INSERT

/** One table, column list and conflict rule: the statements of a batch write. */
export interface InsertPlan {
  table: string;
  columns: readonly string[];
  onConflict: OnConflict;
}

/**
 * Runs `fn` with the driver connection `knex` uses (a transaction's own when
 * `knex` is a transaction, else one from the pool, given back after).
 */
export async function withDriverConnection<C, T = void>(knex: Knex, fn: (conn: C) => T | Promise<T>): Promise<T> {
  const client = knex.client as { acquireConnection(): Promise<C>; releaseConnection(conn: C): Promise<unknown> };
  const conn = await client.acquireConnection();
  try {
    return await fn(conn);
  } finally {
    await client.releaseConnection(conn);
  }
}

/**
 * Rows per statement for `total` rows: full statements of `perStatement`, then
 * the remainder as powers of two, so a table needs at most ~log2(perStatement)
 * statement shapes however the batches end (e.g. 1234 by 500: 500, 500, 128, 64, 32, 8, 2).
 */
export function statementSizes(total: number, perStatement: number): number[] {
  const sizes: number[] = [];
  let left = total;
  while (left >= perStatement) {
    sizes.push(perStatement);
    left -= perStatement;
  }
  for (let bit = 1 << 30; bit >= 1; bit >>>= 1) if (left & bit) sizes.push(bit);
  return sizes;
}

/** A small most-recently-used cache of compiled statement text per shape. */
export class ShapeCache<V> {
  readonly #limit: number;
  readonly #map = new Map<string, V>();
  constructor(limit: number) {
    this.#limit = limit;
  }
  get(key: string, make: () => V): V {
    let hit = this.#map.get(key);
    if (hit === undefined) {
      hit = make();
      if (this.#map.size >= this.#limit) this.#map.delete(this.#map.keys().next().value as string);
      this.#map.set(key, hit);
    }
    return hit;
  }
}
