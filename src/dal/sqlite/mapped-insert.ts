import { devlakeTimeIso } from '../../core/mapping-values';
import { onConflictClause, quoteIdentifier } from '../ansi-sql';
import { withDriverConnection } from '../driver';
import type { Knex } from 'knex';
import { columnExpressions, dollarPath, type CompiledMappedInsert, type MappedColumn, type MappedInsertPlan } from '../mapped-insert';
import { sqliteStatement, type SqliteConnection } from './statements';

/** The registered function `time` rules call: the JavaScript reference itself, so both paths agree by construction. */
const TIME_FUNCTION = 'devlake_ts_time';

interface FunctionHost extends SqliteConnection {
  function(name: string, options: { deterministic: boolean }, fn: (v: unknown) => unknown): unknown;
}

const registered = new WeakSet<object>();

/**
 * One `INSERT … SELECT json_extract(…)` over the raw rows of the params, in id
 * order (the last raw row of a key wins, as in JavaScript), upserting on the
 * primary key.
 */
export function compileSqliteMappedInsert(plan: MappedInsertPlan, toDriver: (v: unknown) => unknown): CompiledMappedInsert {
  const bindings: unknown[] = [];
  const exprs = columnExpressions(plan, (c) => expression(c, bindings, toDriver));
  if (!Array.isArray(exprs)) return exprs;
  const cols = plan.columns.map((c) => quoteIdentifier(c.name));
  const merge = plan.columns.filter((c) => !c.primaryKey).map((c) => c.name);
  const conflict = plan.primaryKey.length === 0 ? '' : onConflictClause(plan.primaryKey, merge);
  bindings.push(plan.params);
  const sql = `INSERT INTO ${quoteIdentifier(plan.table)} (${cols.join(', ')}) SELECT ${exprs.join(', ')} FROM ${quoteIdentifier(plan.rawTable)} WHERE "params" = ? ORDER BY "id"${conflict}`;
  return { sql, bindings };
}

function expression(c: MappedColumn, bindings: unknown[], toDriver: (v: unknown) => unknown): string | { unsupported: string } {
  const src = c.source;
  let e: string;
  if (src.from === 'rawId') e = '"id"';
  else if (src.from === 'bound') {
    bindings.push(src.value === null || src.value === undefined ? null : toDriver(src.value));
    e = '?';
  } else {
    const p = `'${dollarPath(src.steps)}'`;
    const x = `json_extract("data", ${p})`;
    const type = `json_type("data", ${p})`;
    switch (src.as) {
      case 'asIs':
        if (c.kind === 'json') return { unsupported: `asIs into the json column ${c.name} (use pick.json)` };
        e = x;
        break;
      case 'int':
      case 'bigint':
        e = `CASE ${type} WHEN 'integer' THEN ${x} WHEN 'real' THEN CAST(${x} AS INTEGER) END`;
        break;
      case 'float':
        e = `CASE ${type} WHEN 'integer' THEN CAST(${x} AS REAL) WHEN 'real' THEN ${x} END`;
        break;
      case 'bool':
        e = `CASE ${type} WHEN 'true' THEN 1 WHEN 'false' THEN 0 END`;
        break;
      case 'time':
        e = `${TIME_FUNCTION}(${x})`;
        break;
      default:
        return { unsupported: `${src.as} (column ${c.name}): the exact JSON text is not what json_extract returns` };
    }
  }
  if (c.nullAs !== undefined && c.nullAs !== null) {
    bindings.push(toDriver(c.nullAs));
    e = `COALESCE(${e}, ?)`;
  }
  // An empty key is a missing key: NULL fails NOT NULL, and the JavaScript path then names the raw row.
  if (c.primaryKey && (c.kind === 'string' || c.kind === 'text')) e = `NULLIF(${e}, '')`;
  return e;
}

/** Runs the statement on the connection `knex` uses (the run's transaction). */
export async function executeSqliteMappedInsert(knex: Knex, sql: string, bindings: readonly unknown[]): Promise<number> {
  return withDriverConnection<FunctionHost, number>(knex, (conn) => {
    if (!registered.has(conn)) {
      conn.function(TIME_FUNCTION, { deterministic: true }, devlakeTimeIso);
      registered.add(conn);
    }
    // One row per raw row: an upsert's update counts once, as an insert.
    const run = (text: string) => Number((sqliteStatement(conn, text).run([...bindings]) as { changes: number }).changes);
    const at = sql.lastIndexOf(' ON CONFLICT (');
    if (at < 0) return run(sql);
    // The rows of this origin were just deleted, so keys rarely exist: a plain INSERT first (the upsert
    // clause costs ~10 % of the statement), the upsert only when a key is taken (another origin's row).
    sqliteStatement(conn, 'SAVEPOINT devlake_mapped_insert').run([]);
    try {
      const rows = run(sql.slice(0, at));
      sqliteStatement(conn, 'RELEASE SAVEPOINT devlake_mapped_insert').run([]);
      return rows;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== 'SQLITE_CONSTRAINT_PRIMARYKEY' && code !== 'SQLITE_CONSTRAINT_UNIQUE') throw err;
      sqliteStatement(conn, 'ROLLBACK TO SAVEPOINT devlake_mapped_insert').run([]);
      sqliteStatement(conn, 'RELEASE SAVEPOINT devlake_mapped_insert').run([]);
      return run(sql);
    }
  });
}
