import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { conflictInsertSql, quoteIdentifier } from '../ansi-sql';
import type { RawPageIds, SqlDialect } from '../dialect';
import { ShapeCache, statementSizes, withDriverConnection, type InsertPlan } from '../driver';
import { keysetByRowValue } from '../keyset';
import { boundValues, LiteralPlans, type LiteralColumns } from '../literal-columns';
import { postgresKnexConfig } from './client';
import { postgresDecoders } from './decode';
import { compilePostgresMappedInsert, executePostgresMappedInsert } from './mapped-insert';
import { widenParamsColumns } from './params';
import { commitPostgresRawPages } from './raw-pages';

interface PgConnection {
  query(config: { name: string; text: string; values: unknown[] }): Promise<unknown>;
}

const compiledCache = new ShapeCache<{ sql: string; name: string }>(256);
const literalPlans = new LiteralPlans();

/** PostgreSQL through pg: named prepared statements, one-statement publish, settings per transaction. */
export const postgresDialect: SqlDialect = {
  name: 'postgres',
  knexConfig: postgresKnexConfig,
  connectHint: 'Check DB_URL (or --db) and that the database server is running.',
  async prepare(knex, target) {
    if (target.schema) await knex.raw('CREATE SCHEMA IF NOT EXISTS ??', [target.schema]);
  },

  maxParams: 65000, // the protocol's limit is 65535
  maxRows: 10000,
  toDriver(v) {
    switch (typeof v) {
      case 'string':
        // Postgres text cannot hold NUL; DevLake strips it too.
        return v.includes('\u0000') ? v.replace(/\u0000/g, '') : v;
      case 'object':
        return v instanceof Date || Buffer.isBuffer(v) ? v : JSON.stringify(v);
      default:
        return v;
    }
  },
  insertSql: (plan, rowCount) => conflictInsertSql(plan, rowCount, (n) => `$${n}`),
  async executeInsert(knex, plan, values, rowCount, perStatement) {
    await withDriverConnection<PgConnection>(knex, async (conn) => {
      const width = plan.columns.length;
      let offset = 0;
      const planKey = JSON.stringify([plan.table, plan.columns, plan.onConflict]);
      for (const size of statementSizes(rowCount, perStatement)) {
        const from = offset * width;
        const to = (offset + size) * width;
        offset += size;
        // Columns every row shares as literals (literal-columns.ts): fewer values to serialize, send and parse.
        const literals = literalPlans.forStatement(planKey, values, from, to, width);
        const { sql, name } = compiled(plan, planKey, size, literals);
        // A named statement is parsed once per connection; pg remembers the names it prepared.
        await conn.query({ name, text: sql, values: literals ? boundValues(values, from, to, width, literals) : values.slice(from, to) });
      }
    });
  },

  compileMappedInsert: (plan) => compilePostgresMappedInsert(plan, postgresDialect.toDriver),
  executeMappedInsert: executePostgresMappedInsert,

  // then() sends the query now: a knex builder runs only when awaited.
  selectRows: <T>(_knex: Knex, query: Knex.QueryBuilder) => query.then((rows: unknown) => rows as T[]),
  keysetAfter: keysetByRowValue,
  decoders: postgresDecoders,
  prefetchPages: true, // the server reads the next page while the caller works on this one
  singleWriter: false,
  relaxedCommits: true,
  jsonText: (knex, column, key) => knex.raw(`(??::json #>> ?)`, [column, `{${key.split('.').join(',')}}`]),

  async applyTransactionOptions(tx, options) {
    // No WAL flush at commit: a crash can lose only the last transactions whole, which the caller can redo.
    if (options.durability === 'relaxed') await tx.raw('SET LOCAL synchronous_commit = off');
    if (!options.preferIndexOrder) return undefined;
    // A table just filled has no statistics yet, and Postgres then answers every keyset page by
    // bitmap-scanning all rows of the params and sorting them: quadratic (1 M raw rows took over
    // 15 minutes). Without sorts it walks the key's index, which is linear; a sort that cannot be
    // avoided still happens. Local to the transaction, and put back before it ends (a savepoint).
    const res = (await tx.raw(`SELECT current_setting('enable_sort') AS prev, set_config('enable_sort', 'off', true) AS now`)) as {
      rows: Array<{ prev: string }>;
    };
    const prev = res.rows[0]?.prev ?? 'on';
    return async () => {
      await tx.raw(`SELECT set_config('enable_sort', ?, true)`, [prev]);
    };
  },

  /** One statement; json_array_elements returns an element's text as it was written. */
  async publishStaged(knex, staging, rawTable, params) {
    await knex.raw(
      `insert into ?? (params, data, url, input, created_at)
       select params, data, url, input, created_at from (
         select s.id, -1 as k, s.params, s.data, s.url, s.input, s.created_at from ?? s
          where s.raw_table = ? and s.params = ? and s.raw_from_id is null and s.records is null
         union all
         select s.id, j.k, s.params, j.value::text as data, s.url, s.input, s.created_at
           from ?? s cross join lateral json_array_elements(s.data::json) with ordinality as j(value, k)
          where s.raw_table = ? and s.params = ? and s.raw_from_id is null and s.records is not null
       ) staged order by id, k`,
      [rawTable, staging, rawTable, params, staging, rawTable, params],
    );
  },

  /**
   * One named statement: Postgres splits the page with json_array_elements
   * (an element's text as written) and the insert returns the ids it took.
   */
  async insertRawPage(knex, rawTable, page) {
    const text =
      `with ins as (insert into ${quoteIdentifier(rawTable)} (params, data, url, input, created_at) ` +
      `select $1::text, j.value::text, $2::text, $3::text, $4::timestamptz from json_array_elements($5::json) with ordinality as j(value, k) order by j.k returning id) ` +
      `select count(*)::int as n, min(id) as lo, max(id) as hi from ins`;
    const name = `devlake_raw_page_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    const values = [page.params, page.url, page.input, page.createdAt, page.data].map((v) => (v === null ? null : postgresDialect.toDriver(v)));
    return withDriverConnection<PgConnection, RawPageIds>(knex, async (conn) => {
      const res = (await conn.query({ name, text, values })) as { rows: Array<{ n: number; lo: string | number | null; hi: string | number | null }> };
      const { n, lo, hi } = res.rows[0]!;
      return { rows: n, fromId: lo === null ? null : Number(lo), toId: hi === null ? null : Number(hi) };
    });
  },

  commitRawPages: (knex, commit) => commitPostgresRawPages(knex, commit, postgresDialect.toDriver),
  // Pipelined on one connection, each commit guarded by the token of the one before (raw-pages.ts).
  rawCommitsInFlight: 2,

  /** The table and its indexes in one round trip (a fresh schema per test migrates dozens of tables). */
  async runCreateTable(knex, builder) {
    const statements = builder.toSQL() as unknown as Array<{ sql: string; bindings?: readonly unknown[] }>;
    if (statements.every((st) => !st.bindings || st.bindings.length === 0)) {
      await knex.raw(statements.map((st) => st.sql).join(';\n'));
      return;
    }
    await builder;
  },
  async tableNames(knex) {
    const res = (await knex.raw(`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`)) as { rows: Array<{ name: string }> };
    return res.rows.map((r) => r.name);
  },
  /**
   * The catalog itself, not knex's information_schema.tables: that view checks privileges on every
   * relation of the database and took ~3.5 ms a call against ~0.3 ms here, and a pipeline task asks
   * about ten times. The relation kinds are the view's: tables, partitioned and foreign tables, views.
   */
  async hasTable(knex, table) {
    const res = (await knex.raw(
      `SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relname = ? AND c.relkind IN ('r', 'p', 'f', 'v')`,
      [table],
    )) as { rows: unknown[] };
    return res.rows.length > 0;
  },
  async primaryKeyOf(knex, table) {
    const res = (await knex.raw(
      `SELECT a.attname AS name
         FROM pg_index i
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
        WHERE i.indrelid = to_regclass(?) AND i.indisprimary
        ORDER BY array_position(i.indkey, a.attnum)`,
      [`"${table.replace(/"/g, '""')}"`],
    )) as { rows: Array<{ name: string }> };
    return res.rows.map((r) => r.name);
  },
  widenParamsColumns,
  async syncAutoIncrement(knex, table, column) {
    // Explicit ids leave the sequence behind; a later insert without an id would collide.
    await knex.raw(`SELECT setval(pg_get_serial_sequence(?, ?), GREATEST(COALESCE((SELECT MAX(??) FROM ??), 0), 1))`, [table, column, column, table]);
  },

  async createScratch(url, name) {
    const u = new URL(url);
    u.searchParams.set('schema', name); // created by prepare()
    return u.toString();
  },
  async dropScratch(knex, name) {
    await knex.raw('DROP SCHEMA IF EXISTS ?? CASCADE', [name]);
  },
};

/** The SQL text and statement name (≤ 63 bytes, differs whenever the text does) of a shape, built once. */
function compiled(plan: InsertPlan, planKey: string, rowCount: number, literals: LiteralColumns | undefined): { sql: string; name: string } {
  // The literals are part of the key: a plan's set is fixed, but may be fixed again after leaving LiteralPlans' cache.
  return compiledCache.get(`${planKey}/${rowCount}/${literals ? JSON.stringify([...literals]) : ''}`, () => {
    const width = plan.columns.length;
    let bound = 0;
    const sql = conflictInsertSql(plan, rowCount, (n) => {
      const c = (n - 1) % width;
      return literals?.has(c) ? postgresLiteral(literals.get(c)) : `$${++bound}`;
    });
    return { sql, name: `devlake_${createHash('sha1').update(sql).digest('hex')}` };
  });
}

/**
 * pg sends a bound number or string as text of unknown type, which INSERT
 * casts to the column's type: a quoted literal is the same (NULL as NULL).
 * An E'' string reads backslashes the same whatever standard_conforming_strings says.
 */
function postgresLiteral(v: unknown): string {
  return v === null ? 'NULL' : `E'${String(v).replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
