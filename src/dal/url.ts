import * as path from 'node:path';
import { DevlakeError } from '../core/errors';
import { redactUrl } from '../core/redact';
import type { Dialect } from './types';

/** A parsed database URL. */
export interface DbTarget {
  dialect: Dialect;
  /** SQLite: absolute file path or `:memory:`. */
  filename?: string;
  /** Postgres: connection string without our own query parameters. */
  connectionString?: string;
  /** Postgres: schema to use (`?schema=` in the URL), default `public`. */
  schema?: string;
  /** MySQL / MariaDB: where to connect; `database` is the URL's path. */
  mysql?: { host: string; port: number; user: string; password: string; database: string };
  /** The URL with its password masked. */
  safeUrl: string;
}

/** The embedded default: a SQLite file in the working directory. */
export const DEFAULT_DB_URL = 'sqlite:./devlake.db';

/**
 * Parses `sqlite:./devlake.db`, `sqlite:///abs/file.db`, `sqlite::memory:`,
 * `postgres://user:pw@host:5432/db?schema=s` (also `postgresql://`),
 * `mysql://user:pw@host:3306/db` (also `mariadb://`).
 */
export function parseDbUrl(url: string, cwd = process.cwd()): DbTarget {
  const safeUrl = redactUrl(url);
  if (url.startsWith('sqlite:')) {
    let file = url.slice('sqlite:'.length);
    if (file.startsWith('//')) file = file.slice(2);
    if (!file) throw badUrl(safeUrl, 'no file name after "sqlite:"');
    const filename = file === ':memory:' ? file : path.resolve(cwd, file);
    return { dialect: 'sqlite', filename, safeUrl };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw badUrl(safeUrl, 'not a valid URL');
    }
    if (!parsed.hostname) throw badUrl(safeUrl, 'no host');
    const schema = parsed.searchParams.get('schema') ?? undefined;
    parsed.searchParams.delete('schema');
    if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
      throw badUrl(safeUrl, `invalid schema name "${schema}"`);
    }
    return { dialect: 'postgres', connectionString: parsed.toString(), schema, safeUrl };
  }
  if (/^(mysql|mariadb):\/\//.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw badUrl(safeUrl, 'not a valid URL');
    }
    if (!parsed.hostname) throw badUrl(safeUrl, 'no host');
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
    if (!/^[A-Za-z0-9_$]{1,64}$/.test(database)) throw badUrl(safeUrl, database ? `invalid database name "${database}"` : 'no database name after the host');
    return {
      dialect: 'mysql',
      mysql: {
        host: parsed.hostname,
        port: parsed.port ? Number(parsed.port) : 3306,
        user: decodeURIComponent(parsed.username) || 'root',
        password: decodeURIComponent(parsed.password),
        database,
      },
      safeUrl,
    };
  }
  throw badUrl(safeUrl, 'unknown scheme');
}

function badUrl(safeUrl: string, why: string): DevlakeError {
  return new DevlakeError('DEVLAKE_E_DB_URL', `Invalid database URL "${safeUrl}": ${why}`, {
    hint: 'Use DB_URL=sqlite:./devlake.db, postgres://user:password@host:5432/dbname or mysql://user:password@host:3306/dbname (or --db).',
  });
}
