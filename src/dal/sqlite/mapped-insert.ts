import { devlakeTimeIso } from '../../core/mapping-values';
import { onConflictClause, quoteIdentifier } from '../ansi-sql';
import { withDriverConnection } from '../driver';
import type { Knex } from 'knex';
import { columnExpressions, dollarPath, type CompiledMappedInsert, type MappedColumn, type MappedInput, type MappedInsertPlan, type MappedSource } from '../mapped-insert';
import { sqliteDecoders } from './decode';
import { sqliteStatement, type SqliteConnection } from './statements';

/** The registered function `time` rules call: the JavaScript reference itself, so both paths agree by construction. */
const TIME_FUNCTION = 'devlake_ts_time';
/**
 * The registered function a copied datetime column goes through: what a read
 * and a write in JavaScript make of it (decoded to a Date, stored as ISO text),
 * so `2023-01-01T10:00:00Z` as an extraction stored it is written as the converter writes it.
 */
const DATETIME_FUNCTION = 'devlake_ts_datetime';

function datetimeAsWritten(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return (sqliteDecoders.datetime(v) as Date).toISOString(); // an invalid date throws, as the JavaScript write does
}

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
  const sql = `INSERT INTO ${quoteIdentifier(plan.table)} (${cols.join(', ')}) SELECT ${exprs.join(', ')} ${fromClause(plan.input, bindings, toDriver)}${conflict}`;
  return { sql, bindings };
}

/** The rows read, in order (the last of an output key wins); a WHERE always, so ON CONFLICT is not read as a join's ON. */
function fromClause(input: MappedInput, bindings: unknown[], toDriver: (v: unknown) => unknown): string {
  if (input.from === 'raw') {
    bindings.push(input.params);
    return `FROM ${quoteIdentifier(input.rawTable)} WHERE "params" = ? ORDER BY "id"`;
  }
  const where = input.where.map((w) => {
    bindings.push(w.value === null || w.value === undefined ? null : toDriver(w.value));
    return `${quoteIdentifier(w.column)} = ?`;
  });
  return `FROM ${quoteIdentifier(input.table)} WHERE ${where.length > 0 ? where.join(' AND ') : '1'} ORDER BY ${input.orderBy.map(quoteIdentifier).join(', ')}`;
}

/** `YYYY-MM-DD` and `THH:MM:SS` whose fields JavaScript takes as they are (a 29th or a 24th hour it would roll over). */
const PLAIN_DATE = (x: string) =>
  `substr(${x}, 6, 2) BETWEEN '01' AND '12' AND substr(${x}, 9, 2) BETWEEN '01' AND '28' AND substr(${x}, 12, 2) <= '23'`;
const ISO_MS = `'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-5][0-9]:[0-5][0-9].[0-9][0-9][0-9]Z'`;
const ISO_S = `'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-5][0-9]:[0-5][0-9]Z'`;

/**
 * A datetime column as the JavaScript converter writes it (ISO text with
 * milliseconds). The two UTC forms stored most are rewritten in SQL (a
 * function call per value cost ~0.7 µs); any other value goes through the
 * registered function, which is the JavaScript read and write itself.
 */
function datetimeCopy(x: string): string {
  return `CASE WHEN ${x} IS NULL THEN NULL WHEN ${x} GLOB ${ISO_MS} AND ${PLAIN_DATE(x)} THEN ${x} WHEN ${x} GLOB ${ISO_S} AND ${PLAIN_DATE(x)} THEN substr(${x}, 1, 19) || '.000Z' ELSE ${DATETIME_FUNCTION}(${x}) END`;
}

/** An input column as text: integers are stored as INTEGER, whose text is their decimal. */
function columnText(column: string): string {
  return `CAST(${quoteIdentifier(column)} AS TEXT)`;
}

/** The expression of a conversion's source (a column of the input table), or undefined for an extraction's. */
function inputExpression(c: MappedColumn, src: MappedSource, bindings: unknown[], toDriver: (v: unknown) => unknown): string | { unsupported: string } | undefined {
  const bind = (v: unknown) => {
    bindings.push(v === null || v === undefined ? null : toDriver(v));
    return '?';
  };
  switch (src.from) {
    case 'column':
      if (c.kind === 'json' || src.kind === 'json') return { unsupported: `copying the json column ${src.column} (JSON text is re-serialized in JavaScript)` };
      return src.kind === 'datetime' ? datetimeCopy(quoteIdentifier(src.column)) : quoteIdentifier(src.column);
    case 'text':
      return `(${src.parts.map((p) => ('literal' in p ? bind(p.literal) : columnText(p.column))).join(' || ')})`;
    case 'map': {
      const whens = src.cases.map(([k, v]) => `WHEN ${bind(k)} THEN ${bind(v)}`);
      return `CASE ${columnText(src.column)} ${whens.join(' ')} ELSE ${bind(src.otherwise)} END`;
    }
    default:
      return undefined;
  }
}

function expression(c: MappedColumn, bindings: unknown[], toDriver: (v: unknown) => unknown): string | { unsupported: string } {
  const src = c.source;
  let e: string;
  const fromInput = inputExpression(c, src, bindings, toDriver);
  if (typeof fromInput === 'object') return fromInput;
  if (fromInput !== undefined) e = fromInput;
  else if (src.from === 'rawId') e = '"id"';
  else if (src.from === 'bound') {
    bindings.push(src.value === null || src.value === undefined ? null : toDriver(src.value));
    e = '?';
  } else if (src.from === 'json') {
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
  } else return { unsupported: `source ${src.from}` };
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
      conn.function(DATETIME_FUNCTION, { deterministic: true }, datetimeAsWritten);
      registered.add(conn);
    }
    // One row per raw row: an upsert's update counts once, as an insert.
    const run = (text: string) => Number((sqliteStatement(conn, text).run([...bindings]) as { changes: number }).changes);
    const at = sql.lastIndexOf(' ON CONFLICT (');
    if (at < 0) return run(sql);
    // The rows of this origin were just deleted, so keys rarely exist: a plain INSERT first (the upsert
    // clause costs ~10 % of the statement), the upsert only when a key is taken (another origin's row).
    // Unordered: it fails on a key met twice, so the order it would read them in cannot matter (sorting a
    // converter's input by its key cost ~25 %). The ORDER BY compiled above is the last clause before the upsert's.
    const plain = sql.slice(0, at);
    const order = plain.lastIndexOf(' ORDER BY ');
    sqliteStatement(conn, 'SAVEPOINT devlake_mapped_insert').run([]);
    try {
      const rows = run(order < 0 ? plain : plain.slice(0, order));
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
