import type { Knex } from 'knex';
import type { RawPageIds, SqlDialect } from '../dialect';
import { withDriverConnection, type InsertPlan } from '../driver';
import { splitJsonArray } from '../json-split';
import { keysetByLevels } from '../keyset';
import { mysqlKnexConfig, type MysqlConnection } from './client';
import { mysqlDecoders } from './decode';
import { compileMysqlMappedInsert, executeMysqlMappedInsert } from './mapped-insert';
import { commitMysqlRawPages, insertMysqlRawPage } from './raw-pages';
import { insertStatements, MYSQL_MAX_PARAMS, mysqlInsertSql, query } from './statements';
import { widenMysqlParamsColumns } from './params';
import { createMysqlDatabase } from './scratch';

/** Staged rows read per round trip when publishing (each may be a page of many records). */
const PUBLISH_PAGE = 100;

export { quoteMysql } from './quote';

/** MySQL 8 / MariaDB 10.6+ through mysql2: ON DUPLICATE KEY upserts, statements cut to max_allowed_packet. */
export const mysqlDialect: SqlDialect = {
  name: 'mysql',
  knexConfig: mysqlKnexConfig,
  async prepare() {},

  maxParams: MYSQL_MAX_PARAMS,
  maxRows: 2000,
  toDriver(v) {
    switch (typeof v) {
      case 'boolean':
        return v ? 1 : 0;
      case 'object':
        return v instanceof Date || Buffer.isBuffer(v) ? v : JSON.stringify(v);
      default:
        return v;
    }
  },
  insertSql: mysqlInsertSql,

  /** Multi-row statements cut to `max_allowed_packet` ({@link insertStatements}). */
  async executeInsert(knex, plan, values, rowCount, perStatement) {
    await withDriverConnection<MysqlConnection>(knex, async (conn) => {
      await insertStatements(conn, plan, values, rowCount, perStatement, query);
    });
  },

  compileMappedInsert: (plan) => compileMysqlMappedInsert(plan, mysqlDialect.toDriver),
  executeMappedInsert: executeMysqlMappedInsert,

  selectRows: <T>(_knex: Knex, q: Knex.QueryBuilder) => q.then((rows: unknown) => rows as T[]),
  decoders: mysqlDecoders,
  // Each level an index range; MariaDB does not turn a row-value bound (a, b) > (?, ?) into one.
  keysetAfter: keysetByLevels,
  prefetchPages: true,
  singleWriter: false,
  relaxedCommits: false,
  jsonText: (knex, column, key) =>
    knex.raw(`JSON_UNQUOTE(JSON_EXTRACT(??, ?))`, [column, `$${key
      .split('.')
      .map((k) => `."${k.replace(/"/g, '\\"')}"`)
      .join('')}`]),

  async applyTransactionOptions() {
    // Relaxed durability is server-wide on InnoDB (innodb_flush_log_at_trx_commit), not per
    // transaction; and InnoDB keyset reads walk the clustered key without planner settings.
    return undefined;
  },

  /**
   * MySQL's JSON functions re-serialize what they return (MySQL's binary JSON
   * even reorders keys), so a staged page is split here, each element's text
   * kept as the API wrote it, and written back in staging order.
   */
  async publishStaged(knex, staging, rawTable, params) {
    const columns = ['params', 'data', 'url', 'input', 'created_at'];
    const plan: InsertPlan = { table: rawTable, columns, onConflict: null };
    let last = 0;
    for (;;) {
      const staged = (await knex(staging)
        .where({ raw_table: rawTable, params })
        .whereNull('raw_from_id')
        .where('id', '>', last)
        .orderBy('id')
        .limit(PUBLISH_PAGE)
        .select('id', 'records', 'params', 'data', 'url', 'input', 'created_at')) as Array<{
        id: number;
        records: number | null;
        params: string;
        data: string | null;
        url: string | null;
        input: string | null;
        created_at: Date | null;
      }>;
      if (staged.length === 0) return;
      const values: unknown[] = [];
      let rows = 0;
      for (const s of staged) {
        const texts = s.records === null || s.data === null ? [s.data] : splitJsonArray(s.data);
        for (const data of texts) {
          values.push(s.params, data, s.url, s.input, s.created_at);
          rows++;
        }
      }
      await mysqlDialect.executeInsert(knex, plan, values, rows, Math.floor(mysqlDialect.maxParams / columns.length));
      last = Number(staged[staged.length - 1]!.id);
      if (staged.length < PUBLISH_PAGE) return;
    }
  },

  /** Split in JavaScript (MariaDB has no JSON_TABLE before 10.6): see {@link insertMysqlRawPage}. */
  insertRawPage: (knex, rawTable, page) => withDriverConnection<MysqlConnection, RawPageIds>(knex, (conn) => insertMysqlRawPage(conn, rawTable, page)),
  commitRawPages: commitMysqlRawPages,
  // In call order, the next one's rows written while one commits (raw-pages.ts).
  rawCommitsInFlight: 2,


  /**
   * The table with its indexes in one CREATE TABLE: knex adds each index by
   * an ALTER TABLE of its own, which InnoDB answers by rebuilding the table
   * (a fresh database's dozens of domain tables took seconds longer).
   */
  async runCreateTable(knex, builder) {
    const statements = builder.toSQL() as unknown as Array<{ sql: string; bindings?: readonly unknown[] }>;
    const merged = mergeIndexes(statements);
    if (!merged) {
      await builder;
      return;
    }
    for (const st of merged) await knex.raw(st.sql, (st.bindings ?? []) as Knex.RawBinding[]);
  },
  async tableNames(knex) {
    const [rows] = (await knex.raw(`SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME`)) as [Array<{ name: string }>];
    return rows.map((r) => r.name);
  },
  async primaryKeyOf(knex, table) {
    const [rows] = (await knex.raw(
      `SELECT COLUMN_NAME AS name FROM information_schema.KEY_COLUMN_USAGE
        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY'
        ORDER BY ORDINAL_POSITION`,
      [table],
    )) as [Array<{ name: string }>];
    return rows.map((r) => r.name);
  },
  widenParamsColumns: widenMysqlParamsColumns,
  async syncAutoIncrement() {
    // InnoDB's AUTO_INCREMENT moves past explicit ids by itself.
  },

  createScratch: createMysqlDatabase,
  async dropScratch(knex, name) {
    await knex.raw('DROP DATABASE IF EXISTS ??', [name]);
  },
};

/** `create table … (…) <options>` and its `alter table … add index|unique …` as one statement; undefined when the shape is other. */
function mergeIndexes(statements: ReadonlyArray<{ sql: string; bindings?: readonly unknown[] }>): Array<{ sql: string; bindings?: readonly unknown[] }> | undefined {
  const [create, ...rest] = statements;
  if (!create || !/^create table /.test(create.sql) || (create.bindings?.length ?? 0) > 0) return undefined;
  const end = create.sql.lastIndexOf(') default character set ');
  if (end < 0) return undefined;
  const keys: string[] = [];
  const others: typeof rest = [];
  for (const st of rest) {
    const m = /^alter table `(?:[^`]|``)+` add (index|unique) (.+)$/.exec(st.sql);
    if (m && (st.bindings?.length ?? 0) === 0) keys.push(`${m[1] === 'unique' ? 'unique key' : 'index'} ${m[2]}`);
    else others.push(st);
  }
  if (keys.length === 0) return undefined;
  return [{ sql: `${create.sql.slice(0, end)}, ${keys.join(', ')}${create.sql.slice(end)}` }, ...others];
}

