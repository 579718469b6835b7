import type { Knex } from 'knex';
import { conflictInsertSql } from '../ansi-sql';
import { ShapeCache, statementSizes, withDriverConnection, type InsertPlan } from '../driver';
import { boundValues, LiteralPlans, type LiteralColumns } from '../literal-columns';
import { sqliteStatement, type SqliteConnection } from './statements';

/** Batch inserts through prepared multi-row statements, columns shared by every row written as literals (see literal-columns.ts). */

const literalPlans = new LiteralPlans();
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
      const literals = literalPlans.forStatement(planKey, values, from, to, width);
      const sql = statementSql(plan, planKey, size, literals);
      sqliteStatement(conn, sql).run(literals ? boundValues(values, from, to, width, literals) : values.slice(from, to));
    }
  });
}

/** The statement text: `?` for each bound value, the literal for each literal column. */
function statementSql(plan: InsertPlan, planKey: string, rowCount: number, literals: LiteralColumns | undefined): string {
  const width = plan.columns.length;
  // The literals are part of the key: a plan's set is fixed, but may be fixed again after leaving LiteralPlans' cache.
  return sqlCache.get(`${planKey}/${rowCount}/${literals ? JSON.stringify([...literals]) : ''}`, () =>
    conflictInsertSql(plan, rowCount, (n) => {
      const c = (n - 1) % width;
      return literals?.has(c) ? sqliteLiteral(literals.get(c)) : '?';
    }),
  );
}

/** better-sqlite3 binds every JS number as a REAL (a TEXT column stores 0 as '0.0'): the literal is a REAL too. */
function sqliteLiteral(v: unknown): string {
  if (v === null) return 'NULL';
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  return `${String(v)}.0`;
}
