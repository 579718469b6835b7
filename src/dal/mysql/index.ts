import type { Knex } from 'knex';
import { DevlakeError } from '../../core/errors';
import { rawPageText, type RawPageIds, type SqlDialect } from '../dialect';
import { ShapeCache, statementSizes, withDriverConnection, type InsertPlan } from '../driver';
import { splitJsonArray } from '../json-split';
import { keysetByLevels } from '../keyset';
import { mysqlKnexConfig, type MysqlConnection } from './client';
import { mysqlDecoders } from './decode';
import { compileMysqlMappedInsert, executeMysqlMappedInsert } from './mapped-insert';
import { quoteMysql } from './quote';
import { widenMysqlParamsColumns } from './params';
import { createMysqlDatabase } from './scratch';

const sqlCache = new ShapeCache<string>(256);
/** Bytes kept free in a statement for its text and protocol overhead. */
const PACKET_SLACK = 64 * 1024;
/** Staged rows read per round trip when publishing (each may be a page of many records). */
const PUBLISH_PAGE = 100;

export { quoteMysql } from './quote';

/** MySQL 8 / MariaDB 10.6+ through mysql2: ON DUPLICATE KEY upserts, statements cut to max_allowed_packet. */
export const mysqlDialect: SqlDialect = {
  name: 'mysql',
  knexConfig: mysqlKnexConfig,
  async prepare() {},

  maxParams: 60000, // the protocol's limit is 65535 placeholders
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
  insertSql(plan, rowCount) {
    const tuple = `(${plan.columns.map(() => '?').join(', ')})`;
    let sql = `INSERT INTO ${quoteMysql(plan.table)} (${plan.columns.map(quoteMysql).join(', ')}) VALUES ${new Array<string>(rowCount).fill(tuple).join(', ')}`;
    if (plan.onConflict) {
      // VALUES(c): the row that collided; MariaDB has no `AS new` alias, MySQL 8 still takes VALUES().
      const merge = plan.onConflict.merge.length > 0 ? plan.onConflict.merge : plan.onConflict.keys.slice(0, 1);
      const set = plan.onConflict.merge.length > 0 ? (c: string) => `${quoteMysql(c)} = VALUES(${quoteMysql(c)})` : (c: string) => `${quoteMysql(c)} = ${quoteMysql(c)}`;
      sql += ` ON DUPLICATE KEY UPDATE ${merge.map(set).join(', ')}`;
    }
    return sql;
  },
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

  /**
   * Split in JavaScript (MariaDB has no JSON_TABLE before 10.6) and written as
   * one multi-row insert. Ids come from the rows of these params above the
   * table's largest id before the insert: nothing else writes these params
   * during a collection (the run lock), and auto-increment ids only grow.
   */
  async insertRawPage(knex, rawTable, page) {
    const texts = splitJsonArray(rawPageText(page.data));
    if (texts.length === 0) return { rows: 0, fromId: null, toId: null };
    const columns = ['params', 'data', 'url', 'input', 'created_at'];
    const values: unknown[] = [];
    for (const data of texts) values.push(page.params, data, page.url, page.input, page.createdAt);
    const plan: InsertPlan = { table: rawTable, columns, onConflict: null };
    return withDriverConnection<MysqlConnection, RawPageIds>(knex, async (conn) => {
      const consecutive = conn.devlakeConsecutiveIds === true;
      const before = consecutive ? 0 : Number(((await query(conn, `SELECT COALESCE(MAX(id), 0) AS m FROM ${quoteMysql(rawTable)}`, [])) as Array<{ m: number | string }>)[0]!.m);
      // Prepared: the records go length-prefixed in the binary protocol, neither escaped by the client nor parsed
      // as SQL text by the server (a page of 100 ~1 KB records: 2.6 ms against 4.2 ms on MariaDB 10.11).
      const perStatement = Math.floor(mysqlDialect.maxParams / columns.length);
      const results = (await insertStatements(conn, plan, values, texts.length, perStatement, execute)) as Array<{ insertId: number | string; affectedRows: number }>;
      if (consecutive) {
        const last = results[results.length - 1]!;
        const rows = results.reduce((n, r) => n + r.affectedRows, 0);
        return { rows, fromId: Number(results[0]!.insertId), toId: Number(last.insertId) + last.affectedRows - 1 };
      }
      const [ids] = (await query(conn, `SELECT COUNT(*) AS n, MIN(id) AS lo, MAX(id) AS hi FROM ${quoteMysql(rawTable)} WHERE id > ? AND params = ?`, [before, page.params])) as Array<{
        n: number | string;
        lo: number | string | null;
        hi: number | string | null;
      }>;
      return { rows: Number(ids!.n), fromId: ids!.lo === null ? null : Number(ids!.lo), toId: ids!.hi === null ? null : Number(ids!.hi) };
    });
  },

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

function compiled(plan: InsertPlan, rowCount: number): string {
  return sqlCache.get(JSON.stringify([plan.table, plan.columns, plan.onConflict, rowCount]), () => mysqlDialect.insertSql(plan, rowCount));
}

/** DATETIME/TIMESTAMP/DATE columns per database and table, read once per process (tables are created, not retyped). */
const timeColumns = new Map<string, Promise<Set<string>>>();

/**
 * Timestamps given as text (an API's `2023-01-01T00:00:00.000Z`, which
 * Postgres and SQLite take as is) become Dates for the table's datetime
 * columns: MySQL's strict mode refuses ISO-8601 with a zone. Other text is
 * left alone, so a text column keeps an ISO string verbatim.
 */
async function timestampsAsDates(conn: MysqlConnection, plan: InsertPlan, values: unknown[], rowCount: number): Promise<void> {
  const key = `${conn.config?.database ?? ''}\u0000${plan.table}`;
  let pending = timeColumns.get(key);
  if (!pending) {
    pending = query(
      conn,
      `SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND DATA_TYPE IN ('datetime', 'timestamp', 'date')`,
      [plan.table],
    ).then((rows) => new Set((rows as Array<{ name: string }>).map((r) => r.name)));
    timeColumns.set(key, pending);
    pending.catch(() => timeColumns.delete(key));
  }
  const names = await pending;
  if (names.size === 0) return;
  const width = plan.columns.length;
  const positions = plan.columns.flatMap((c, i) => (names.has(c) ? [i] : []));
  for (const p of positions) {
    for (let r = 0; r < rowCount; r++) {
      const v = values[r * width + p];
      if (typeof v === 'string') {
        const d = new Date(v);
        if (!Number.isNaN(d.getTime())) values[r * width + p] = d;
      }
    }
  }
}

function query(conn: MysqlConnection, sql: string, values: unknown[]): Promise<unknown> {
  return new Promise((resolve, reject) => conn.query(sql, values, (err, result) => (err ? reject(err) : resolve(result))));
}

function execute(conn: MysqlConnection, sql: string, values: unknown[]): Promise<unknown> {
  return new Promise((resolve, reject) => conn.execute(sql, values, (err, result) => (err ? reject(err) : resolve(result))));
}

/**
 * Multi-row statements as long as the rows fit in `max_allowed_packet`
 * (read per connection): a batch of large raw pages is cut into several
 * statements instead of failing with "packet too big". A single row that
 * cannot fit fails before anything of the batch is sent. Returns each
 * statement's result, in order.
 */
async function insertStatements(conn: MysqlConnection, plan: InsertPlan, values: unknown[], rowCount: number, perStatement: number, run: typeof query): Promise<unknown[]> {
  const width = plan.columns.length;
  await timestampsAsDates(conn, plan, values, rowCount);
  const budget = Math.max(PACKET_SLACK, (conn.devlakeMaxPacket ?? 4 * 1024 * 1024) - PACKET_SLACK);
  // Every row measured before the first statement: a row that cannot fit fails with nothing of the batch written.
  const sizes = new Array<number>(rowCount);
  for (let r = 0; r < rowCount; r++) {
    sizes[r] = rowBytes(values, r * width, width);
    if (sizes[r]! > budget) throw rowTooLarge(plan.table, sizes[r]!, budget + PACKET_SLACK);
  }
  const results: unknown[] = [];
  let offset = 0;
  while (offset < rowCount) {
    let count = 0;
    let bytes = 0;
    while (offset + count < rowCount && count < perStatement && (count === 0 || bytes + sizes[offset + count]! <= budget)) {
      bytes += sizes[offset + count]!;
      count++;
    }
    for (const size of statementSizes(count, perStatement)) {
      results.push(await run(conn, compiled(plan, size), values.slice(offset * width, (offset + size) * width)));
      offset += size;
    }
  }
  return results;
}

/** An upper bound of a row's size in a statement: UTF-16 units × 3 (UTF-8), escapes, separators. */
function rowBytes(values: readonly unknown[], from: number, width: number): number {
  let n = 2;
  for (let i = from; i < from + width; i++) {
    const v = values[i];
    if (typeof v === 'string') n += v.length * 3 + 4;
    else if (Buffer.isBuffer(v)) n += v.length * 2 + 4;
    else n += 32;
  }
  return n;
}

function rowTooLarge(table: string, size: number, packet: number): DevlakeError {
  return new DevlakeError('DEVLAKE_E_DB_ROW_TOO_LARGE', `A row for ${table} needs up to ${size} bytes; the server's max_allowed_packet is ${packet}`, {
    hint: 'Raise max_allowed_packet on the MySQL server (SET GLOBAL max_allowed_packet = 268435456), or make the rows smaller.',
    data: { table, bytes: size, maxAllowedPacket: packet },
  });
}
