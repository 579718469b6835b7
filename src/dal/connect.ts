import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Knex } from 'knex';
import { DevlakeError } from '../core/errors';
import { redact, registerUrlPassword } from '../core/redact';
import { KnexDal } from './knex-dal';
import type { Dal } from './types';
import { parseDbUrl, type DbTarget } from './url';

/**
 * Opens a database from a URL (see `parseDbUrl`) and checks the connection.
 * knex and the drivers are required here, lazily, so `devlake --help` stays fast.
 */
export async function createDal(url: string, options: { cwd?: string; onDriverMessage?: DriverMessageHandler } = {}): Promise<Dal> {
  registerUrlPassword(url);
  const target = parseDbUrl(url, options.cwd);
  // Lazy: loading knex costs as much as starting node.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const knexFactory = require('knex') as typeof import('knex').knex;
  const knex = knexFactory(knexConfig(target, knexLog(options.onDriverMessage)));
  try {
    if (target.dialect === 'postgres' && target.schema) {
      await knex.raw('CREATE SCHEMA IF NOT EXISTS ??', [target.schema]);
    }
    await knex.raw('select 1');
  } catch (err) {
    await knex.destroy().catch(() => undefined);
    throw new DevlakeError('DEVLAKE_E_DB_CONNECT', `Cannot connect to ${target.safeUrl}: ${(err as Error).message}`, {
      cause: err,
      hint: 'Check DB_URL (or --db) and that the database server is running.',
    });
  }
  return new KnexDal(knex, target.dialect, target.safeUrl);
}

/** A message of knex itself (not of a query): a dropped pooled connection, a deprecation. */
export type DriverMessageHandler = (level: 'warn' | 'error' | 'deprecate', message: string) => void;

/**
 * Where knex's own messages go. Its default logger console.logs them to
 * stdout, which would corrupt `devlake run --json`, and each failure they
 * report also reaches the caller as an error. So they go to `onMessage`
 * (the CLI logs them at debug level), redacted, or nowhere.
 */
function knexLog(onMessage: DriverMessageHandler | undefined): Knex.Config['log'] {
  const send = (level: 'warn' | 'error' | 'deprecate', message: string) => onMessage?.(level, redact(message));
  return {
    warn: (message: unknown) => send('warn', String(message)),
    error: (message: unknown) => send('error', String(message)),
    deprecate: (method: unknown, alternative: unknown) => send('deprecate', `${String(method)} is deprecated, use ${String(alternative)}`),
    debug: () => undefined,
  };
}

function knexConfig(target: DbTarget, log: Knex.Config['log']): Knex.Config {
  if (target.dialect === 'sqlite') {
    if (target.filename !== ':memory:') fs.mkdirSync(path.dirname(target.filename!), { recursive: true });
    return {
      client: sqliteClient(),
      log,
      connection: { filename: target.filename! },
      useNullAsDefault: true,
      pool: {
        min: 1,
        max: 1,
        afterCreate(conn: { pragma(s: string): unknown }, done: (err: Error | null, conn: unknown) => void) {
          // WAL: readers do not block the writer; busy_timeout: wait instead of failing on a lock.
          if (target.filename !== ':memory:') conn.pragma('journal_mode = WAL');
          conn.pragma('busy_timeout = 5000');
          conn.pragma('synchronous = NORMAL');
          done(null, conn);
        },
      },
    };
  }
  return {
    client: 'pg',
    log,
    connection: { connectionString: target.connectionString! },
    searchPath: target.schema ? [target.schema] : undefined,
    pool: { min: 0, max: 4 },
    acquireConnectionTimeout: 10000,
  };
}

/**
 * knex's better-sqlite3 client with Dates bound as ISO-8601 text (knex binds
 * epoch milliseconds), the form the Dal stores, so comparisons, SQLite's date
 * functions and string order work. A subclass, not a patch of the instance:
 * knex builds each transaction's client from the client's class, so a patch
 * was lost inside transactions (where extractors and converters query).
 */
function sqliteClient(): Knex.Config['client'] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Base = require('knex/lib/dialects/better-sqlite3') as new (config: Knex.Config) => { _formatBindings(b: unknown[]): unknown[] };
  return class IsoDateSqliteClient extends Base {
    override _formatBindings(bindings: unknown[]): unknown[] {
      return super._formatBindings((bindings ?? []).map((b) => (b instanceof Date ? b.toISOString() : b)));
    }
  } as unknown as Knex.Config['client'];
}
