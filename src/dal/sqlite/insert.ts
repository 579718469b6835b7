import type { Knex } from 'knex';
import { conflictInsertSql } from '../ansi-sql';
import { ShapeCache, statementSizes, withDriverConnection, type InsertPlan } from '../driver';
import { sqliteStatement, type SqliteConnection } from './statements';

/**
 * Batch inserts through prepared multi-row statements, with the columns every
 * row of a statement sets to the same NULL, '' or small integer written as
 * literals rather than bound. Domain tables get DevLake's zero value in every
 * column a converter leaves unset (20-odd of `issues`' 38): binding those
 * 100 k times was about a quarter of a converter's insert.
 */

/** Statements of fewer rows bind everything: a remainder is not worth a statement shape of its own. */
const MIN_ROWS_FOR_LITERALS = 64;

/** The literal columns of a plan, fixed by its first statement (so a plan has at most two shapes per size). */
const literalsByPlan = new ShapeCache<ReadonlyMap<number, unknown>>(256);
const sqlCache = new ShapeCache<string>(256);

/** Writes `rowCount` rows of `values` (row-major, `plan.columns` wide), `perStatement` rows a statement. */
export async function executeSqliteInsert(knex: Knex, plan: InsertPlan, values: unknown[], rowCount: number, perStatement: number): Promise<void> {
  const planKey = JSON.stringify([plan.table, plan.columns, plan.onConflict]);
  await withDriverConnection<SqliteConnection>(knex, (conn) => {
    const width = plan.columns.length;
    let offset = 0;
    for (const size of statementSizes(rowCount, perStatement)) {
      const from = offset * width;
      const to = (offset + size) * width;
      offset += size;
      const literals = size >= MIN_ROWS_FOR_LITERALS ? literalsByPlan.get(planKey, () => constantColumns(values, from, to, width)) : undefined;
      if (literals && literals.size > 0 && holds(literals, values, from, to, width)) {
        const bound = new Array(size * (width - literals.size));
        let b = 0;
        for (let i = from; i < to; i += width) for (let c = 0; c < width; c++) if (!literals.has(c)) bound[b++] = values[i + c];
        sqliteStatement(conn, statementSql(plan, planKey, size, literals)).run(bound);
      } else {
        sqliteStatement(conn, statementSql(plan, planKey, size, undefined)).run(values.slice(from, to));
      }
    }
  });
}

/** The statement text: `?` for each bound value, the literal for each literal column. */
function statementSql(plan: InsertPlan, planKey: string, rowCount: number, literals: ReadonlyMap<number, unknown> | undefined): string {
  const width = plan.columns.length;
  return sqlCache.get(`${planKey}/${rowCount}/${literals ? 'l' : 'b'}`, () =>
    conflictInsertSql(plan, rowCount, (n) => {
      if (!literals) return '?';
      const c = (n - 1) % width;
      return literals.has(c) ? sqlLiteral(literals.get(c)) : '?';
    }),
  );
}

/** Columns whose value is the same literal-worthy value in every row of `values[from, to)`. */
function constantColumns(values: readonly unknown[], from: number, to: number, width: number): ReadonlyMap<number, unknown> {
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
function holds(literals: ReadonlyMap<number, unknown>, values: readonly unknown[], from: number, to: number, width: number): boolean {
  for (const [c, v] of literals) {
    for (let i = from + c; i < to; i += width) if (values[i] !== v) return false;
  }
  return true;
}

/** NULL, '' and small integers: values whose literal is exactly what binding them stores. */
function literalWorthy(v: unknown): boolean {
  return v === null || v === '' || (typeof v === 'number' && Number.isSafeInteger(v) && Math.abs(v) < 1e9);
}

/** better-sqlite3 binds every JS number as a REAL (a TEXT column stores 0 as '0.0'): the literal is a REAL too. */
function sqlLiteral(v: unknown): string {
  if (v === null) return 'NULL';
  if (v === '') return "''";
  return `${String(v)}.0`;
}
