import { DevlakeError } from 'devlake-ts';
import { isConnectionError, lostConnectionError } from '../../src/dal/connection-error';

const socketError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code });

describe('isConnectionError', () => {
  it('knows a driver socket error, a Postgres connection exception and a knex pool timeout, also as a cause', () => {
    expect(isConnectionError(socketError('ECONNREFUSED'))).toBe(true);
    expect(isConnectionError(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isConnectionError(new Error('Knex: Timeout acquiring a connection. The pool is probably full.'))).toBe(true);
    expect(isConnectionError(new Error('insert failed', { cause: socketError('ECONNRESET') }))).toBe(true);
  });

  it('does not take a statement error for a lost connection', () => {
    expect(isConnectionError(Object.assign(new Error('duplicate key value'), { code: '23505' }))).toBe(false);
    expect(isConnectionError(new Error('no such table: x'))).toBe(false);
  });

  // The API server refusing a connection is an API error: reported as a lost database, the hint sent users to DB_URL.
  it('leaves the API client\'s network errors alone, whatever socket error they wrap', () => {
    const api = new DevlakeError('DEVLAKE_E_API_NETWORK', 'GET http://127.0.0.1:1/items failed: connect ECONNREFUSED', { cause: socketError('ECONNREFUSED') });
    expect(isConnectionError(api)).toBe(false);
    expect(isConnectionError(new DevlakeError('DEVLAKE_E_API_RETRIES_EXHAUSTED', 'gave up', { cause: api }))).toBe(false);
  });

  it('wraps a lost connection once, naming what was running', () => {
    const lost = lostConnectionError(socketError('ECONNREFUSED'), 'subtask "Extract Items"');
    expect(lost.code).toBe('DEVLAKE_E_DB_CONNECT');
    expect(lost.message).toMatch(/during subtask "Extract Items"/);
    expect(lostConnectionError(lost, 'the run')).toBe(lost);
  });
});
