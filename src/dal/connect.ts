import type { Knex } from 'knex';
import { environmentProblem } from '../core/environment-errors';
import { DevlakeError } from '../core/errors';
import { redact, registerUrlPassword } from '../core/redact';
import { dialectOf } from './dialects';
import { KnexDal } from './knex-dal';
import type { Dal } from './types';
import { parseDbUrl } from './url';

/**
 * Opens a database from a URL (see `parseDbUrl`) and checks the connection.
 * knex and the drivers are required here, lazily, so `devlake --help` stays fast.
 */
export async function createDal(url: string, options: { cwd?: string; onDriverMessage?: DriverMessageHandler } = {}): Promise<Dal> {
  registerUrlPassword(url);
  const target = parseDbUrl(url, options.cwd);
  // Lazy: loading knex costs as much as starting node.
  const knexFactory = require('knex') as typeof import('knex').knex;
  const dialect = dialectOf(target.dialect);
  const knex = knexFactory(dialect.knexConfig(target, knexLog(options.onDriverMessage)));
  try {
    await dialect.prepare(knex, target);
    await knex.raw('select 1');
  } catch (err) {
    await knex.destroy().catch(() => undefined);
    throw new DevlakeError('DEVLAKE_E_DB_CONNECT', `Cannot connect to ${target.safeUrl}: ${(err as Error).message}`, {
      cause: err,
      hint: environmentProblem(err)?.hint ?? dialect.connectHint ?? 'Check DB_URL (or --db) and that the database server is running.',
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
