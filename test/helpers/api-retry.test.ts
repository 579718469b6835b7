import { getEventListeners } from 'node:events';
import { backoffDelay, sleep, isRetryableNetworkError, isRetryableStatus, parseRetryAfter, rateLimitWait } from '../../src/helpers/api-retry';
import { parseDuration } from '../../src/helpers/api-client-options';

describe('retry rules', () => {
  const now = Date.parse('2024-05-01T10:00:00Z');

  it('retries 429 and 5xx, not other 4xx', () => {
    expect([429, 500, 502, 503, 504, 599].map(isRetryableStatus)).toEqual([true, true, true, true, true, true]);
    expect([400, 401, 403, 404, 409, 422].map(isRetryableStatus)).toEqual([false, false, false, false, false, false]);
  });

  it('recognises retryable network codes anywhere in the cause chain', () => {
    expect(isRetryableNetworkError(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isRetryableNetworkError(new Error('wrap', { cause: Object.assign(new Error('y'), { code: 'UND_ERR_SOCKET' }) }))).toBe(true);
    expect(isRetryableNetworkError(Object.assign(new Error('x'), { code: 'UND_ERR_INVALID_ARG' }))).toBe(false);
  });

  it('backs off exponentially with full jitter, capped', () => {
    expect(backoffDelay(0, 100, 10_000, () => 0.999)).toBe(99);
    expect(backoffDelay(3, 100, 10_000, () => 0.5)).toBe(400);
    expect(backoffDelay(20, 100, 10_000, () => 0.5)).toBe(5000);
    expect(backoffDelay(5, 100, 10_000, () => 0)).toBe(0);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('0.5', now)).toBe(500);
    expect(parseRetryAfter('Wed, 01 May 2024 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 01 May 2024 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('waits for the rate-limit reset only when the budget is spent', () => {
    expect(rateLimitWait({ 'x-ratelimit-remaining': '10', 'x-ratelimit-reset': String(now / 1000 + 60) }, now)).toBeUndefined();
    expect(rateLimitWait({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 60) }, now)).toBe(60_000);
    expect(rateLimitWait({ 'ratelimit-remaining': '0', 'ratelimit-reset': '42' }, now)).toBe(42_000);
    expect(rateLimitWait({ 'ratelimit-remaining': '0' }, now)).toBeUndefined();
  });

  it('parses <PLUGIN>_API_TIMEOUT durations', () => {
    expect(parseDuration('30s', 'X')).toBe(30_000);
    expect(parseDuration('2m', 'X')).toBe(120_000);
    expect(parseDuration('250ms', 'X')).toBe(250);
    expect(parseDuration('10', 'X')).toBe(10_000);
    expect(parseDuration(undefined, 'X')).toBeUndefined();
    expect(() => parseDuration('0', 'X_API_TIMEOUT')).toThrow(/X_API_TIMEOUT/);
  });
});

describe('sleep', () => {
  it('shares one abort listener among concurrent waits and rejects them all with the abort reason', async () => {
    const controller = new AbortController();
    const waits = Array.from({ length: 20 }, () => sleep(60_000, controller.signal));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    const reason = new Error('stop');
    controller.abort(reason);
    const results = await Promise.allSettled(waits);
    expect(results.every((r) => r.status === 'rejected' && r.reason === reason)).toBe(true);
  });

  it('resolves without a signal, and rejects at once on an aborted one', async () => {
    await expect(sleep(1)).resolves.toBeUndefined();
    const aborted = AbortSignal.abort(new Error('already'));
    await expect(sleep(60_000, aborted)).rejects.toThrow('already');
  });
});
