import type { Knex } from 'knex';
import { defineModel } from '../../src/core/model';
import type { Dialect } from '../../src/dal/types';
import { pick } from '../../src/core/extract-mapping';
import { col, defineTable, rawDataOriginColumns } from '../../src/core/table';
import { createTable } from '../../src/dal/table-ddl';
import { ApiExtractor } from '../../src/helpers/api-extractor';
import { MappedExtractor } from '../../src/helpers/mapped-extractor';
import { PARAMS } from './data';
import { timeWrite, withBenchDb } from './db';
import { defineIssueToolTable, issueToolFields, TOOL_COLUMNS, type IssueRecord } from './issue-tool';
import type { BenchContext, BenchResult, Goal } from './measure';
import { populateRaw } from './populate';
import { benchSubTask } from './subtask';
import { compare, perSecond, samplesText } from './timing';

const RAW = '_raw_bench_issues';
const OURS = '_tool_bench_issues_ours';
const CEILING = '_tool_bench_issues_ceiling';

/** The tool table of `defineIssueToolTable`, declared: what a declarative extractor writes. */
const DeclaredTool = defineTable('_tool_bench_issues_declared', {
  connection_id: col.bigint().primaryKey(),
  github_id: col.bigint().primaryKey(),
  number: col.int(),
  title: col.string(255),
  state: col.string(32),
  author_login: col.string(255),
  comments: col.int(),
  created_date: col.datetime(),
  updated_date: col.datetime(),
  closed_date: col.datetime(),
  ...rawDataOriginColumns(),
});

/** Our declarative path: the mapping issueToolFields() makes in code, as rules (values as is, as extract() passes them). */
export async function runDeclarative(knexDb: import('../../src/dal/types').Dal, raw = RAW): Promise<void> {
  const result = await new MappedExtractor({
    ctx: benchSubTask(knexDb, 'Extract Issues'),
    rawTable: raw,
    params: PARAMS,
    table: DeclaredTool,
    columns: {
      connection_id: pick.constant(1),
      github_id: pick.asIs('id'),
      number: pick.asIs('number'),
      title: pick.asIs('title'),
      state: pick.asIs('state'),
      author_login: pick.asIs('user.login'),
      comments: pick.asIs('comments'),
      created_date: pick.asIs('created_at'),
      updated_date: pick.asIs('updated_at'),
      closed_date: pick.asIs('closed_at'),
    },
    engine: 'sql',
  }).execute();
  if (result.engine !== 'sql') throw new Error(`the declarative extraction ran in ${result.engine}`);
}

/** Raw rows the extract measures read. */
export function extractRows(quick: boolean): number {
  return quick ? 10_000 : 100_000;
}

/** Our path: ApiExtractor with a plugin-style extract(), one row per record. */
export async function runExtractor(knexDb: import('../../src/dal/types').Dal, table: string, raw = RAW): Promise<void> {
  const Model = defineModel({ table, primaryKey: ['connection_id', 'github_id'] });
  await new ApiExtractor<IssueRecord>({
    ctx: benchSubTask(knexDb, 'Extract Issues'),
    rawTable: raw,
    params: PARAMS,
    outputs: [Model],
    extract: (issue) => [Model.row(issueToolFields(issue))],
  }).execute();
}

/** The fields of one parsed record, as SQL over `j` (the parsed JSON), same order as TOOL_COLUMNS. */
export function fieldSql(dialect: Dialect, raw: string): { select: string; from: string } {
  if (dialect === 'postgres') {
    return {
      select: `1, (j->>'id')::bigint, (j->>'number')::int, j->>'title', j->>'state', j->'user'->>'login', (j->>'comments')::int,
        (j->>'created_at')::timestamptz, (j->>'updated_at')::timestamptz, (j->>'closed_at')::timestamptz, ?, ?, id, ''`,
      // OFFSET 0 fences the subquery: each row's JSON is parsed once, not once per column.
      from: `(SELECT id, data::jsonb AS j FROM "${raw}" WHERE params = ? OFFSET 0) s`,
    };
  }
  if (dialect === 'mysql') {
    const v = (p: string) => `JSON_UNQUOTE(JSON_EXTRACT(data, '$.${p}'))`;
    const t = (p: string) => `STR_TO_DATE(NULLIF(${v(p)}, 'null'), '%Y-%m-%dT%H:%i:%s.%fZ')`;
    return {
      select: `1, ${v('id')}, ${v('number')}, ${v('title')}, ${v('state')}, ${v('user.login')}, ${v('comments')},
        ${t('created_at')}, ${t('updated_at')}, ${t('closed_at')}, ?, ?, id, ''`,
      from: `\`${raw}\` WHERE params = ?`,
    };
  }
  const x = (p: string) => `json_extract(data, '$.${p}')`;
  return {
    select: `1, ${x('id')}, ${x('number')}, ${x('title')}, ${x('state')}, ${x('user.login')}, ${x('comments')},
      ${x('created_at')}, ${x('updated_at')}, ${x('closed_at')}, ?, ?, id, ''`,
    from: `"${raw}" WHERE params = ?`,
  };
}

/** The ceiling: one INSERT … SELECT of the same fields, optionally ON CONFLICT DO UPDATE. */
async function runCeilingSql(knex: Knex, dialect: Dialect, upsert: boolean): Promise<void> {
  const { select, from } = fieldSql(dialect, RAW);
  if (dialect === 'mysql') {
    const cols = TOOL_COLUMNS.map((c) => `\`${c}\``).join(', ');
    const set = TOOL_COLUMNS.filter((c) => c !== 'connection_id' && c !== 'github_id')
      .map((c) => `\`${c}\` = VALUES(\`${c}\`)`)
      .join(', ');
    await knex.raw(`INSERT INTO \`${CEILING}\` (${cols}) SELECT ${select} FROM ${from}${upsert ? ` ON DUPLICATE KEY UPDATE ${set}` : ''}`, [PARAMS, RAW, PARAMS]);
    return;
  }
  const cols = TOOL_COLUMNS.map((c) => `"${c}"`).join(', ');
  const set = TOOL_COLUMNS.filter((c) => c !== 'connection_id' && c !== 'github_id')
    .map((c) => `"${c}" = excluded."${c}"`)
    .join(', ');
  // SQLite needs a WHERE before ON CONFLICT in INSERT … SELECT (parser ambiguity); it is already there.
  const conflict = upsert ? ` ON CONFLICT (connection_id, github_id) DO UPDATE SET ${set}` : '';
  const sql = `INSERT INTO "${CEILING}" (${cols}) SELECT ${select} FROM ${from}${conflict}`;
  const bindings = dialect === 'postgres' ? [PARAMS, RAW, PARAMS] : [PARAMS, RAW, PARAMS];
  await knex.raw(sql, bindings);
}

/** extract_<dialect>: ApiExtractor against one SQL INSERT … SELECT, first as plain inserts, then as upserts over full tables. */
export async function extractMeasure(dialect: Dialect, name: string, goal: Goal, { quick, log }: BenchContext): Promise<BenchResult[]> {
  const total = extractRows(quick);
  const rounds = quick ? 2 : 3;
  return withBenchDb(dialect, async (db) => {
    const knex = db.dal.knex;
    await populateRaw(db.dal, RAW, total);
    await knex.schema.createTable(OURS, defineIssueToolTable);
    await knex.schema.createTable(CEILING, defineIssueToolTable);
    await createTable(knex, DeclaredTool);
    if (dialect === 'postgres') await knex.raw(`ANALYZE "${RAW}"`);
    // The same statement's work: one INSERT … SELECT into an empty table, compiled from the declaration.
    const declarative = await compare(
      rounds,
      async () => {
        await knex(DeclaredTool.table).delete();
        return timeWrite(db.dal, () => runDeclarative(db.dal));
      },
      async () => {
        await knex(CEILING).delete();
        return timeWrite(db.dal, () => runCeilingSql(knex, dialect, false));
      },
    );
    await checkSameRows(knex, total, DeclaredTool.table);
    const insert = await compare(
      rounds,
      async () => {
        await knex(OURS).delete();
        return timeWrite(db.dal, () => runExtractor(db.dal, OURS));
      },
      async () => {
        await knex(CEILING).delete();
        return timeWrite(db.dal, () => runCeilingSql(knex, dialect, false));
      },
    );
    // Both tables are full now: our extractor replaces its rows, the ceiling updates them in place.
    const upsert = await compare(
      rounds,
      () =>
        timeWrite(db.dal, () => runExtractor(db.dal, OURS)),
      () =>
        timeWrite(db.dal, () => runCeilingSql(knex, dialect, true)),
    );
    await checkSameRows(knex, total);
    log(`${name}.insert: ours ${samplesText(insert.samples.ours)} ms, ceiling ${samplesText(insert.samples.ceiling)} ms`);
    log(`${name}.upsert: ours ${samplesText(upsert.samples.ours)} ms, ceiling ${samplesText(upsert.samples.ceiling)} ms`);
    log(`${name}.declarative: ours ${samplesText(declarative.samples.ours)} ms, ceiling ${samplesText(declarative.samples.ceiling)} ms`);
    const result = (variant: string, c: typeof insert, goalOf: Goal = goal): BenchResult => ({
      name: `${name}.${variant}`,
      value: perSecond(total, c.oursMs),
      ceiling: perSecond(total, c.ceilingMs),
      ratio: c.ceilingMs / c.oursMs,
      unit: 'rows/s',
      goal: goalOf,
      size: `${total} raw rows → ${TOOL_COLUMNS.length}-column tool table`,
    });
    return [result('insert', insert), result('upsert', upsert), result('declarative', declarative, { min: 0.95 })];
  });
}

/** Both paths must have written the same rows, or the comparison means nothing. */
async function checkSameRows(knex: Knex, total: number, ours = OURS): Promise<void> {
  const count = async (t: string) => Number(((await knex(t).count({ n: '*' })) as Array<{ n: unknown }>)[0]!.n);
  const [a, b] = [await count(ours), await count(CEILING)];
  if (a !== total || b !== total) throw new Error(`extract wrote ${a} rows (ours) and ${b} (ceiling), expected ${total}`);
  const q = (name: string) => ((knex.client as { dialect?: string }).dialect === 'mysql' ? `\`${name}\`` : `"${name}"`);
  const cols = TOOL_COLUMNS.filter((c) => !c.endsWith('_date')).map(q).join(', ');
  const diff = await knex.raw(`SELECT count(*) AS n FROM (SELECT ${cols} FROM ${q(ours)} EXCEPT SELECT ${cols} FROM ${q(CEILING)}) d`);
  // better-sqlite3: rows; pg: { rows }; mysql2: [rows, fields].
  const rows = (Array.isArray(diff) ? (Array.isArray(diff[0]) ? diff[0] : diff) : diff.rows) as Array<{ n: unknown }>;
  if (Number(rows[0]!.n) !== 0) throw new Error(`extract: ${String(rows[0]!.n)} rows differ between our extractor and the SQL ceiling`);
}
