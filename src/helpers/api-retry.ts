/**
 * When and how long to wait before retrying an HTTP request: exponential
 * backoff with full jitter, `Retry-After` (seconds or an HTTP date) and the
 * rate-limit reset headers. Pure functions, so the rules are tested alone.
 */
import { onAbort } from './linked-signal';

/** Statuses retried: too many requests and the transient server errors. */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/** Network error codes (Node and undici) worth another attempt. */
export const RETRY_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** True for any 5xx and for the statuses in RETRY_STATUSES. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || RETRY_STATUSES.has(status);
}

/** True when a thrown network error (or one in its cause chain) has a retryable code. */
export function isRetryableNetworkError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && RETRY_ERROR_CODES.has(code)) return true;
  }
  return false;
}

/**
 * Full-jitter backoff: a random wait in `[0, min(maxMs, baseMs * 2^attempt))`.
 * `attempt` counts from 0 for the first retry.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

/**
 * Milliseconds to wait from `Retry-After`: delta seconds (`120`, `0.5`) or an
 * HTTP date. Undefined when absent or unreadable; never negative.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.max(0, Math.round(Number(trimmed) * 1000));
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Milliseconds until the rate-limit budget is restored, or undefined when the
 * response does not say the budget is spent. Reads `X-RateLimit-Remaining` /
 * `RateLimit-Remaining` and `X-RateLimit-Reset` / `RateLimit-Reset`; a reset
 * above 10^9 is an epoch in seconds (GitHub), a smaller one is delta seconds
 * (IETF draft).
 */
export function rateLimitWait(headers: Readonly<Record<string, string>>, now: number = Date.now()): number | undefined {
  const remaining = headers['x-ratelimit-remaining'] ?? headers['ratelimit-remaining'];
  if (remaining === undefined || Number(remaining) > 0) return undefined;
  const reset = headers['x-ratelimit-reset'] ?? headers['ratelimit-reset'];
  if (reset === undefined) return undefined;
  const n = Number(reset.trim());
  if (!Number.isFinite(n)) return parseRetryAfter(reset, now);
  return n > 1e9 ? Math.max(0, Math.round(n * 1000 - now)) : Math.max(0, Math.round(n * 1000));
}

/**
 * Resolves after `ms`, or rejects with `signal.reason` as soon as the signal
 * aborts. Watches the signal through onAbort: concurrent retries on the run's
 * signal share its one listener instead of adding one each.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      unwatch?.();
      resolve();
    }, Math.max(0, ms));
    const unwatch = signal
      ? onAbort(signal, (reason) => {
          clearTimeout(timer);
          reject(reason);
        })
      : undefined;
  });
}
