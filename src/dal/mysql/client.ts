import type { Knex } from 'knex';
import type { DbTarget } from '../url';

/**
 * knex configuration for MySQL 8 / MariaDB 10.6+ through mysql2, with the
 * session every connection gets: UTC, utf8mb4, strict mode without zero dates.
 */

/** Characters of a text column's prefix in an index: 255 × 4 bytes (utf8mb4) stays under InnoDB's 3072-byte key. */
export const TEXT_INDEX_PREFIX = 255;

/** A mysql2 connection, as far as this folder uses it. */
export interface MysqlConnection {
  query(sql: string, values: unknown, cb: (err: Error | null, result: unknown) => void): void;
  /** A prepared statement (binary protocol), kept prepared on the connection by mysql2. */
  execute(sql: string, values: unknown, cb: (err: Error | null, result: unknown) => void): void;
  config?: { database?: string };
  /** max_allowed_packet of this connection's session, read when it opened. */
  devlakeMaxPacket?: number;
  /**
   * A multi-row INSERT's auto-increment ids are consecutive from its insertId
   * (innodb_autoinc_lock_mode 0 or 1, auto_increment_increment 1), read when
   * the connection opened; false or unknown: ids are read back.
   */
  devlakeConsecutiveIds?: boolean;
}

interface TypeCastField {
  type: string;
  length: number;
  string(): string | null;
}

export function mysqlKnexConfig(target: DbTarget, log: Knex.Config['log']): Knex.Config {
  const m = target.mysql!;
  return {
    client: devlakeMysqlClient(),
    log,
    connection: {
      host: m.host,
      port: m.port,
      user: m.user,
      password: m.password,
      database: m.database,
      charset: 'utf8mb4', // 4-byte UTF-8: emoji and all of Unicode, as the other databases store
      timezone: 'Z', // Dates are written and read as UTC
      supportBigNumbers: true, // BIGINT beyond 2^53 as text, never a rounded number
      typeCast,
    } as Knex.MySql2ConnectionConfig,
    pool: {
      min: 0,
      max: 4,
      afterCreate(conn: MysqlConnection, done: (err: Error | null, conn: unknown) => void) {
        // Strict: a value that does not fit fails instead of being cut. No zero dates: a Date is a
        // real instant on every database. Session time zone UTC: NOW() and CURRENT_TIMESTAMP agree with Dates.
        conn.query(
          `SET SESSION sql_mode = 'STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION', time_zone = '+00:00'`,
          [],
          (err) => {
            if (err) return done(err, conn);
            conn.query('SELECT @@max_allowed_packet AS p', [], (err2, rows) => {
              if (!err2) conn.devlakeMaxPacket = Number((rows as Array<{ p: unknown }>)[0]?.p) || undefined;
              if (err2) return done(err2, conn);
              // A server without these variables (not InnoDB) only loses the shortcut.
              conn.query('SELECT @@innodb_autoinc_lock_mode AS m, @@auto_increment_increment AS i', [], (err3, vars) => {
                const v = (vars as Array<{ m: unknown; i: unknown }> | undefined)?.[0];
                conn.devlakeConsecutiveIds = !err3 && v !== undefined && Number(v.m) <= 1 && Number(v.i) === 1;
                done(null, conn);
              });
            });
          },
        );
      },
    },
    acquireConnectionTimeout: 10000,
  };
}

/**
 * The same JS values as on the other databases: tinyint(1) (a boolean column)
 * as a boolean, DATETIME/TIMESTAMP as a UTC Date, and MySQL's zero date
 * (which DevLake's databases may hold from older writers) as null.
 */
function typeCast(field: TypeCastField, next: () => unknown): unknown {
  switch (field.type) {
    case 'TINY':
      if (field.length !== 1) return next();
      {
        const s = field.string();
        return s === null ? null : s !== '0';
      }
    case 'DATETIME':
    case 'TIMESTAMP':
    case 'DATE': {
      const s = field.string();
      if (s === null || s.startsWith('0000-00-00')) return null;
      return new Date(s.length === 10 ? `${s}T00:00:00Z` : `${s.replace(' ', 'T')}Z`);
    }
    default:
      return next();
  }
}

/**
 * knex's mysql2 client with DevLake's column types (a knex `timestamp` is
 * `datetime(3)`: no 2038 limit, no implicit ON UPDATE, no session time zone
 * conversion; a knex `text` is `longtext`, as gorm makes a Go string), tables
 * in utf8mb4 with a binary collation (keys compare as on SQLite and Postgres:
 * 'A' and 'a' differ, trailing spaces count), and indexes on text columns
 * over a prefix (MySQL cannot index a whole text column).
 */
function devlakeMysqlClient(): Knex.Config['client'] {
  const Base = require('knex/lib/dialects/mysql2') as new (config: Knex.Config) => object;
  const BaseColumns = require('knex/lib/dialects/mysql/schema/mysql-columncompiler') as new (...args: unknown[]) => object;
  const BaseTable = require('knex/lib/dialects/mysql/schema/mysql-tablecompiler') as new (...args: unknown[]) => object;

  class Columns extends BaseColumns {
    timestamp(precision?: number | { precision?: number }): string {
      const p = typeof precision === 'object' ? precision?.precision : precision;
      return `datetime(${typeof p === 'number' ? Math.min(p, 6) : 3})`;
    }
    datetime(precision?: number | { precision?: number }): string {
      return this.timestamp(precision);
    }
    text(kind?: string): string {
      return kind === 'text' || kind === 'mediumtext' || kind === 'medium' ? (kind === 'text' ? 'text' : 'mediumtext') : 'longtext';
    }
  }
  const textColumns = (table: { grouped: { columns?: Array<{ builder?: { _type?: string; _args?: unknown[] } }> } }): Set<string> => {
    const names = new Set<string>();
    for (const c of table.grouped.columns ?? []) {
      if (c.builder && /text|blob/.test(String(c.builder._type))) names.add(String(c.builder._args?.[0]));
    }
    return names;
  };
  type TableSelf = {
    grouped: { columns?: Array<{ builder?: { _type?: string; _args?: unknown[] } }> };
    single: { charset?: string; collate?: string };
    client: { raw(sql: string, bindings: unknown[]): unknown };
  };
  class Table extends BaseTable {
    createQuery(...args: unknown[]): unknown {
      const self = this as unknown as TableSelf;
      self.single.charset ??= 'utf8mb4';
      self.single.collate ??= 'utf8mb4_bin';
      return (BaseTable.prototype as { createQuery(...a: unknown[]): unknown }).createQuery.apply(this, args);
    }
    index(columns: string | string[], indexName?: unknown, ...rest: unknown[]): unknown {
      const self = this as unknown as TableSelf & { tableNameRaw: string };
      const text = textColumns(self);
      const list = Array.isArray(columns) ? columns : [columns];
      const keyed = list.map((c) => (typeof c === 'string' && text.has(c) ? self.client.raw(`??(${TEXT_INDEX_PREFIX})`, [c]) : c));
      // knex's default name, from the plain column names (it would otherwise be built from the prefix expressions).
      const name = indexName ?? `${self.tableNameRaw.replace(/\.|-/g, '_')}_${list.join('_')}_index`.toLowerCase();
      return (BaseTable.prototype as { index(...a: unknown[]): unknown }).index.call(this, keyed, name, ...rest);
    }
  }
  return class DevlakeMysqlClient extends Base {
    columnCompiler(...args: unknown[]): object {
      return new Columns(this, ...args);
    }
    tableCompiler(...args: unknown[]): object {
      return new Table(this, ...args);
    }
  } as unknown as Knex.Config['client'];
}
