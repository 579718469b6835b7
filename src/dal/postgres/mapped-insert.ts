import type { Knex } from 'knex';
import { TIME_PATTERN_POSIX } from '../../core/mapping-values';
import type { ColumnKind } from '../../core/table';
import { onConflictClause, quoteIdentifier } from '../ansi-sql';
import { columnExpressions, type CompiledMappedInsert, type MappedColumn, type MappedInput, type MappedInsertPlan, type MappedSource } from '../mapped-insert';

const PG_TYPES: Readonly<Record<ColumnKind, string>> = Object.freeze({
  string: 'text',
  text: 'text',
  bigint: 'bigint',
  int: 'integer',
  uint64: 'bigint',
  float: 'double precision',
  bool: 'boolean',
  datetime: 'timestamptz',
  json: 'text',
});

/**
 * One `INSERT … SELECT` over a fenced subquery (`OFFSET 0`: each raw row's
 * JSON is parsed to jsonb once, not once per column), with
 * `ON CONFLICT … DO UPDATE`. Two raw rows of one key make Postgres refuse the
 * statement (it cannot update a row twice); the caller then runs JavaScript,
 * where the last one wins.
 */
export function compilePostgresMappedInsert(plan: MappedInsertPlan, toDriver: (v: unknown) => unknown): CompiledMappedInsert {
  const bindings: unknown[] = [];
  const exprs = columnExpressions(plan, (c) => expression(c, bindings, toDriver));
  if (!Array.isArray(exprs)) return exprs;
  const cols = plan.columns.map((c) => quoteIdentifier(c.name));
  const merge = plan.columns.filter((c) => !c.primaryKey).map((c) => c.name);
  const conflict = plan.primaryKey.length === 0 ? '' : onConflictClause(plan.primaryKey, merge);
  return { sql: `INSERT INTO ${quoteIdentifier(plan.table)} (${cols.join(', ')}) SELECT ${exprs.join(', ')} FROM ${fromClause(plan.input, bindings, toDriver)}${conflict}`, bindings };
}

/**
 * No ORDER BY: a key met twice fails the statement anyway (JavaScript then
 * writes the last row of it). Raw rows go through a fenced subquery.
 */
function fromClause(input: MappedInput, bindings: unknown[], toDriver: (v: unknown) => unknown): string {
  if (input.from === 'raw') {
    bindings.push(input.params);
    return `(SELECT "id", "data"::jsonb AS j FROM ${quoteIdentifier(input.rawTable)} WHERE "params" = ? OFFSET 0) s`;
  }
  const where = input.where.map((w) => {
    bindings.push(w.value === null || w.value === undefined ? null : toDriver(w.value));
    return `s.${quoteIdentifier(w.column)} = ?`;
  });
  return `${quoteIdentifier(input.table)} s${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}`;
}

/** The expression of a conversion's source (a column of the input table), or undefined for an extraction's. */
function inputExpression(c: MappedColumn, src: MappedSource, bindings: unknown[], toDriver: (v: unknown) => unknown): string | { unsupported: string } | undefined {
  const type = PG_TYPES[c.kind];
  const bind = (v: unknown, as: string) => {
    bindings.push(v === null || v === undefined ? null : toDriver(v));
    return `?::${as}`;
  };
  switch (src.from) {
    case 'column': {
      if (c.kind === 'json' || src.kind === 'json') return { unsupported: `copying the json column ${src.column} (JSON text is re-serialized in JavaScript)` };
      const e = `s.${quoteIdentifier(src.column)}`;
      // Read back in JavaScript a timestamp keeps milliseconds (node-postgres truncates).
      if (src.kind === 'datetime') return `date_trunc('milliseconds', ${e})`;
      return PG_TYPES[src.kind] === type ? e : `${e}::${type}`;
    }
    case 'text':
      return `(${src.parts.map((p) => ('literal' in p ? bind(p.literal, 'text') : `s.${quoteIdentifier(p.column)}::text`)).join(' || ')})`;
    case 'map': {
      const whens = src.cases.map(([k, v]) => `WHEN ${bind(k, 'text')} THEN ${bind(v, type)}`);
      return `CASE s.${quoteIdentifier(src.column)}::text ${whens.join(' ')} ELSE ${bind(src.otherwise, type)} END`;
    }
    default:
      return undefined;
  }
}

/** The plain INSERT of an upsert statement (its ON CONFLICT clause is last). */
function plainInsert(sql: string): string {
  const at = sql.lastIndexOf(' ON CONFLICT (');
  return at < 0 ? sql : sql.slice(0, at);
}

function expression(c: MappedColumn, bindings: unknown[], toDriver: (v: unknown) => unknown): string | { unsupported: string } {
  const type = PG_TYPES[c.kind];
  const src = c.source;
  let e: string;
  const fromInput = inputExpression(c, src, bindings, toDriver);
  if (typeof fromInput === 'object') return fromInput;
  if (fromInput !== undefined) e = fromInput;
  else if (src.from === 'rawId') e = 's."id"';
  else if (src.from === 'bound') {
    bindings.push(src.value === null || src.value === undefined ? null : toDriver(src.value));
    e = `?::${type}`;
  } else if (src.from === 'json') {
    // One key: `->`/`->>` (the ceiling's operators); a longer path: `#>`/`#>>`.
    const one = src.steps.length === 1 && typeof src.steps[0] === 'string';
    const path = one ? `'${src.steps[0] as string}'` : `'{${src.steps.map((s) => (typeof s === 'number' ? String(s) : `"${s}"`)).join(',')}}'`;
    const v = one ? `(j -> ${path})` : `(j #> ${path})`;
    const t = one ? `(j ->> ${path})` : `(j #>> ${path})`;
    switch (src.as) {
      case 'asIs':
        if (c.kind === 'json') return { unsupported: `asIs into the json column ${c.name} (use pick.json)` };
        e = type === 'text' ? t : `${t}::${type}`;
        break;
      case 'int':
      case 'bigint':
        e = `CASE WHEN jsonb_typeof(${v}) = 'number' THEN trunc(${t}::numeric)::bigint END`;
        break;
      case 'float':
        e = `CASE WHEN jsonb_typeof(${v}) = 'number' THEN ${t}::double precision END`;
        break;
      case 'bool':
        e = `CASE WHEN jsonb_typeof(${v}) = 'boolean' THEN ${t}::boolean END`;
        break;
      case 'time':
        e = timeExpression(v, t, bindings);
        break;
      default:
        return { unsupported: `${src.as} (column ${c.name}): jsonb does not keep the JSON text as written` };
    }
    if (src.as !== 'asIs' && type !== 'text' && src.as !== 'time') e = `(${e})::${type}`;
  } else return { unsupported: `source ${src.from}` };
  if (c.nullAs !== undefined && c.nullAs !== null) {
    bindings.push(toDriver(c.nullAs));
    e = `COALESCE(${e}, ?::${type})`;
  }
  // An empty key is a missing key: NULL fails NOT NULL, and the JavaScript path then names the raw row.
  if (c.primaryKey && type === 'text') e = `NULLIF(${e}, '')`;
  return e;
}

/**
 * DevLake's timestamp grammar (core/mapping-values.ts), checked before the
 * cast: CASE evaluates in order, so the cast never sees a string it would
 * refuse (a day past the month's end, checked in the inner CASE). Fractions
 * are cut to milliseconds as text first: rounding microseconds could carry.
 */
function timeExpression(v: string, t: string, bindings: unknown[]): string {
  const y = `substr(${t}, 1, 4)::int`;
  const m = `substr(${t}, 6, 2)::int`;
  const days = `CASE ${m} WHEN 2 THEN CASE WHEN (${y} % 4 = 0 AND ${y} % 100 <> 0) OR ${y} % 400 = 0 THEN 29 ELSE 28 END ELSE 30 + ((${m} + ${m} / 8) % 2) END`;
  const cut = `regexp_replace(${t}, '(\\.[0-9]{3})[0-9]+', '\\1')`;
  bindings.push(TIME_PATTERN_POSIX); // bound: knex would read the pattern's `?` as placeholders
  return `CASE WHEN jsonb_typeof(${v}) = 'string' AND ${t} ~ ?::text THEN CASE WHEN substr(${t}, 9, 2)::int <= ${days} THEN date_trunc('milliseconds', ${cut}::timestamptz) END END`;
}

/** Runs the statement in the run's transaction; zone-less timestamps are UTC (DevLake's rule), for this transaction only. */
export async function executePostgresMappedInsert(knex: Knex, sql: string, bindings: readonly unknown[]): Promise<number> {
  await knex.raw(`SET LOCAL TimeZone = 'UTC'`);
  const run = async (text: string) => Number(((await knex.raw(text, bindings as Knex.RawBinding[])) as { rowCount: number | null }).rowCount ?? 0);
  const plain = plainInsert(sql);
  if (plain === sql) return run(sql);
  // The rows of this origin were just deleted, so keys rarely exist: a plain INSERT first (ON CONFLICT's
  // speculative insertion cost ~10 % of the statement), the upsert only when a key is taken (another origin's row).
  await knex.raw('SAVEPOINT devlake_mapped_insert');
  try {
    const rows = await run(plain);
    await knex.raw('RELEASE SAVEPOINT devlake_mapped_insert');
    return rows;
  } catch (err) {
    if ((err as { code?: string }).code !== '23505') throw err; // unique_violation
    await knex.raw('ROLLBACK TO SAVEPOINT devlake_mapped_insert');
    return run(sql);
  }
}
