import { DevlakeError, isDevlakeError } from '../core/errors';

/** Driver error codes that mean the database is gone or unreachable, not that a statement was wrong. */
const CONNECTION_CODES = new Set([
  // sockets
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  // Postgres: connection exceptions (08…), server shutting down or starting (57P01-57P03)
  '08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03',
  // MySQL / MariaDB (mysql2)
  'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR', 'ER_SERVER_SHUTDOWN', 'ER_CON_COUNT_ERROR',
]);

/** Messages of node-postgres and knex that carry no code. */
const CONNECTION_MESSAGES = [
  /Connection terminated/i,
  /Client has encountered a connection error/i,
  /Knex: Timeout acquiring a connection/i,
  /server closed the connection unexpectedly/i,
];

/** True when `err`, or an error in its `cause` chain, says the database connection failed or was lost. */
export function isConnectionError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (isDevlakeError(e) && e.code === 'DEVLAKE_E_DB_CONNECT') return true;
    // The API client's errors wrap socket errors (ECONNREFUSED…) of the API server, not of the database.
    if (isDevlakeError(e) && e.code.startsWith('DEVLAKE_E_API_')) return false;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && CONNECTION_MESSAGES.some((re) => re.test(message))) return true;
  }
  return false;
}

/** DEVLAKE_E_DB_CONNECT for a connection lost while doing `what` (e.g. `subtask "Extract Items"`). */
export function lostConnectionError(err: unknown, what: string): DevlakeError {
  if (isDevlakeError(err) && err.code === 'DEVLAKE_E_DB_CONNECT') return err;
  const message = err instanceof Error ? err.message : String(err);
  return new DevlakeError('DEVLAKE_E_DB_CONNECT', `Lost the database connection during ${what}: ${message}`, {
    hint: 'Check that the database server is running and reachable (DB_URL / --db), then run again: completed work is kept and collection resumes.',
    cause: err,
  });
}
