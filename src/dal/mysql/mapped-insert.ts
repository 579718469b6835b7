import type { Knex } from 'knex';
import { columnExpressions, dollarPath, type CompiledMappedInsert, type MappedColumn, type MappedInput, type MappedInsertPlan, type MappedSource } from '../mapped-insert';
import { quoteMysql } from './quote';

const NUMBER_TYPES = `('INTEGER', 'UNSIGNED INTEGER', 'DOUBLE', 'DECIMAL')`;

/**
 * One `INSERT … SELECT JSON_VALUE(…)` over the raw rows of the params, in id
 * order (the last raw row of a key wins), with `ON DUPLICATE KEY UPDATE`.
 * `json` rules are left to JavaScript (MySQL re-serializes JSON), and so are
 * timestamps other than the common UTC forms (see utcTime).
 */
export function compileMysqlMappedInsert(plan: MappedInsertPlan, toDriver: (v: unknown) => unknown): CompiledMappedInsert {
  const bindings: unknown[] = [];
  const exprs = columnExpressions(plan, (c) => expression(c, bindings, toDriver));
  if (!Array.isArray(exprs)) return exprs;
  const cols = plan.columns.map((c) => quoteMysql(c.name));
  const nonKey = plan.columns.filter((c) => !c.primaryKey).map((c) => c.name);
  // VALUES(c): the row that collided (MariaDB has no `AS new` alias).
  const set = (nonKey.length > 0 ? nonKey : plan.primaryKey.slice(0, 1)).map((c) =>
    nonKey.length > 0 ? `${quoteMysql(c)} = VALUES(${quoteMysql(c)})` : `${quoteMysql(c)} = ${quoteMysql(c)}`,
  );
  const conflict = plan.primaryKey.length === 0 ? '' : ` ON DUPLICATE KEY UPDATE ${set.join(', ')}`;
  const sql = `INSERT INTO ${quoteMysql(plan.table)} (${cols.join(', ')}) SELECT ${exprs.join(', ')} ${fromClause(plan.input, bindings, toDriver)}${conflict}`;
  return { sql, bindings };
}

/** The rows read, in order: the last of an output key wins. */
function fromClause(input: MappedInput, bindings: unknown[], toDriver: (v: unknown) => unknown): string {
  if (input.from === 'raw') {
    bindings.push(input.params);
    return `FROM ${quoteMysql(input.rawTable)} WHERE \`params\` = ? ORDER BY \`id\``;
  }
  const where = input.where.map((w) => {
    bindings.push(w.value === null || w.value === undefined ? null : toDriver(w.value));
    return `${quoteMysql(w.column)} = ?`;
  });
  return `FROM ${quoteMysql(input.table)}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${input.orderBy.map(quoteMysql).join(', ')}`;
}

/** An input column as text: integers in decimal. */
function columnText(column: string, kind: string): string {
  return kind === 'string' || kind === 'text' ? quoteMysql(column) : `CAST(${quoteMysql(column)} AS CHAR)`;
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
      return quoteMysql(src.column);
    case 'text':
      return `CONCAT(${src.parts.map((p) => ('literal' in p ? bind(p.literal) : columnText(p.column, p.kind))).join(', ')})`;
    case 'map': {
      // As bytes: the columns' collations ignore case, accents and trailing spaces.
      const key = `CAST(${columnText(src.column, src.kind)} AS BINARY)`;
      const whens = src.cases.map(([k, v]) => `WHEN ${key} = CAST(${bind(k)} AS BINARY) THEN ${bind(v)}`);
      return `CASE ${whens.join(' ')} ELSE ${bind(src.otherwise)} END`;
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
  else if (src.from === 'rawId') e = '`id`';
  else if (src.from === 'bound') {
    bindings.push(src.value === null || src.value === undefined ? null : toDriver(src.value));
    e = '?';
  } else if (src.from === 'json') {
    const p = `'${dollarPath(src.steps)}'`;
    // JSON_VALUE: a scalar as text, NULL for null, objects and arrays (MariaDB: booleans as 1/0).
    const x = `JSON_VALUE(\`data\`, ${p})`;
    const type = `JSON_TYPE(JSON_EXTRACT(\`data\`, ${p}))`;
    switch (src.as) {
      case 'asIs':
        if (c.kind === 'json') return { unsupported: `asIs into the json column ${c.name} (use pick.json)` };
        e = c.kind === 'datetime' ? utcTime(x) : x;
        break;
      case 'int':
      case 'bigint':
        // An integer literal exactly (past 2^53); any other number (`12.7`, `1e3`) through a double, as JSON.parse reads it.
        e = `CASE WHEN ${type} IN ${NUMBER_TYPES} THEN CASE WHEN ${x} REGEXP '^-{0,1}[0-9]+$' THEN CAST(${x} AS SIGNED) ELSE CAST(TRUNCATE(${x} + 0e0, 0) AS SIGNED) END END`;
        break;
      case 'float':
        e = `CASE WHEN ${type} IN ${NUMBER_TYPES} THEN ${x} + 0e0 END`;
        break;
      case 'bool':
        e = `CASE WHEN ${type} = 'BOOLEAN' THEN ${x} IN ('1', 'true') END`;
        break;
      case 'time':
        e = utcTime(x);
        break;
      default:
        return { unsupported: `${src.as} (column ${c.name})` };
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

/**
 * The UTC forms APIs mostly send (`2023-01-01T10:00:00Z`, `…:00.123Z`) parsed
 * here; any other text makes the statement fail on purpose (a subquery of two
 * rows), so the JavaScript reference writes the rows: MySQL's own parsing of
 * other forms differs from it.
 */
function utcTime(x: string): string {
  return `CASE WHEN ${x} IS NULL THEN NULL WHEN ${x} REGEXP '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' THEN STR_TO_DATE(${x}, '%Y-%m-%dT%H:%i:%sZ') WHEN ${x} REGEXP '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[.][0-9]{3}Z$' THEN STR_TO_DATE(${x}, '%Y-%m-%dT%H:%i:%s.%fZ') ELSE (SELECT 1 UNION ALL SELECT 2) END`;
}

/** Runs the statement in the run's transaction. */
export async function executeMysqlMappedInsert(knex: Knex, sql: string, bindings: readonly unknown[]): Promise<number> {
  const [result] = (await knex.raw(sql, bindings as Knex.RawBinding[])) as [{ affectedRows: number; info?: string }];
  // `Records: n  Duplicates: d`: the rows selected (affectedRows counts an update twice).
  const records = /Records:\s*(\d+)/.exec(result.info ?? '');
  return records ? Number(records[1]) : result.affectedRows;
}
