import { DevlakeError } from '../../core/errors';
import { ShapeCache, statementSizes, type InsertPlan } from '../driver';
import type { MysqlConnection } from './client';
import { quoteMysql } from './quote';

/**
 * Statements on a mysql2 connection: multi-row INSERT text, running a query
 * or a prepared statement, and a batch cut to the server's packet size.
 */

/** Placeholders per statement: the protocol's limit is 65535. */
export const MYSQL_MAX_PARAMS = 60000;

const sqlCache = new ShapeCache<string>(256);
/** Bytes kept free in a statement for its text and protocol overhead. */
const PACKET_SLACK = 64 * 1024;

/** `INSERT INTO t (…) VALUES (…), …` for `rowCount` rows, with ON DUPLICATE KEY UPDATE for an upsert. */
export function mysqlInsertSql(plan: InsertPlan, rowCount: number): string {
    const tuple = `(${plan.columns.map(() => '?').join(', ')})`;
    let sql = `INSERT INTO ${quoteMysql(plan.table)} (${plan.columns.map(quoteMysql).join(', ')}) VALUES ${new Array<string>(rowCount).fill(tuple).join(', ')}`;
    if (plan.onConflict) {
      // VALUES(c): the row that collided; MariaDB has no `AS new` alias, MySQL 8 still takes VALUES().
      const merge = plan.onConflict.merge.length > 0 ? plan.onConflict.merge : plan.onConflict.keys.slice(0, 1);
      const set = plan.onConflict.merge.length > 0 ? (c: string) => `${quoteMysql(c)} = VALUES(${quoteMysql(c)})` : (c: string) => `${quoteMysql(c)} = ${quoteMysql(c)}`;
      sql += ` ON DUPLICATE KEY UPDATE ${merge.map(set).join(', ')}`;
    }
    return sql;
  }

function compiled(plan: InsertPlan, rowCount: number): string {
  return sqlCache.get(JSON.stringify([plan.table, plan.columns, plan.onConflict, rowCount]), () => mysqlInsertSql(plan, rowCount));
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

export function query(conn: MysqlConnection, sql: string, values: unknown[]): Promise<unknown> {
  return new Promise((resolve, reject) => conn.query(sql, values, (err, result) => (err ? reject(err) : resolve(result))));
}

export function execute(conn: MysqlConnection, sql: string, values: unknown[]): Promise<unknown> {
  return new Promise((resolve, reject) => conn.execute(sql, values, (err, result) => (err ? reject(err) : resolve(result))));
}

/**
 * Multi-row statements as long as the rows fit in `max_allowed_packet`
 * (read per connection): a batch of large raw pages is cut into several
 * statements instead of failing with "packet too big". A single row that
 * cannot fit fails before anything of the batch is sent. Returns each
 * statement's result, in order.
 */
export async function insertStatements(conn: MysqlConnection, plan: InsertPlan, values: unknown[], rowCount: number, perStatement: number, run: typeof query): Promise<unknown[]> {
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
