import { createHash } from 'node:crypto';
import Bottleneck from 'bottleneck';
import { cancelledError, isDevlakeError } from '../core/errors';
import { sleep } from './api-retry';

/**
 * One request budget per connection (endpoint + token), shared by every
 * ApiClient of the process, so that collectors running side by side in a run
 * never exceed `<PLUGIN>_API_REQUESTS_PER_HOUR` together. Bottleneck bounds
 * the concurrency and refills the budget every minute; a response saying the
 * budget is spent (`X-RateLimit-Remaining: 0`) pauses every request of the
 * connection until the announced reset.
 */

/** Settings of one connection's limiter. */
export interface RateLimiterOptions {
  /** Requests allowed per hour. */
  requestsPerHour: number;
  /** Requests in flight at once. */
  concurrency: number;
}

/** The shared limiter of one connection. */
export interface RateLimiter {
  /** The key it is shared under (a hash; never the token). */
  readonly key: string;
  /** Runs `fn` when the budget and the concurrency allow. Rejects with a cancelled error when `signal` aborts first. */
  schedule<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Holds every request of the connection until `ms` from now (rate-limit reset). */
  pauseFor(ms: number): void;
  /** Requests waiting for a slot. */
  queued(): number;
  /** Releases this user's reference; the last one stops the limiter. */
  release(): Promise<void>;
}

const MINUTE = 60_000; // ms
const HOUR = 3_600_000; // ms

interface Entry {
  bottleneck: Bottleneck;
  /** The settings in force: the strictest any user asked for. */
  options: RateLimiterOptions;
  /** Settles when the last change of settings is applied; every request waits for it. */
  ready: Promise<void>;
  pausedUntil: number;
  refs: number;
}

const registry = new Map<string, Entry>();

/** The hash a connection is shared under: endpoint and credential, never stored in clear. */
export function rateLimiterKey(endpoint: string | undefined, credential: string | undefined): string {
  return createHash('sha256').update(`${endpoint ?? ''}\n${credential ?? ''}`).digest('hex').slice(0, 16);
}

/**
 * Budget per refill: a minute's share of the hourly budget (so a burst never
 * exceeds one minute's worth), or one request per `HOUR / requestsPerHour`
 * when that is less than one a minute.
 */
export function refillPlan(requestsPerHour: number): { intervalMs: number; amount: number } {
  if (requestsPerHour >= 60) return { intervalMs: MINUTE, amount: Math.floor(requestsPerHour / 60) };
  return { intervalMs: Math.ceil(HOUR / requestsPerHour), amount: 1 };
}

/**
 * The limiter shared under `key`. The strictest settings of its users apply:
 * a later user asking for fewer requests per hour or less concurrency
 * tightens the limiter for everyone (the API's budget is per credential,
 * whichever collector spends it). Call `release()` when done.
 */
export function acquireRateLimiter(key: string, options: RateLimiterOptions): RateLimiter {
  let entry = registry.get(key);
  if (entry) tighten(entry, options);
  if (!entry) {
    const { intervalMs, amount } = refillPlan(options.requestsPerHour);
    entry = {
      bottleneck: new Bottleneck({
        maxConcurrent: options.concurrency,
        reservoir: amount,
        reservoirIncreaseAmount: amount,
        reservoirIncreaseInterval: intervalMs,
        reservoirIncreaseMaximum: amount,
      }),
      options: { ...options },
      ready: Promise.resolve(),
      pausedUntil: 0,
      refs: 0,
    };
    registry.set(key, entry);
  }
  entry.refs++;
  return handle(key, entry);
}

/** Applies the stricter of the current and the requested settings. */
function tighten(entry: Entry, wanted: RateLimiterOptions): void {
  const current = entry.options;
  if (wanted.concurrency < current.concurrency) {
    current.concurrency = wanted.concurrency;
    entry.bottleneck.updateSettings({ maxConcurrent: wanted.concurrency });
  }
  if (wanted.requestsPerHour < current.requestsPerHour) {
    current.requestsPerHour = wanted.requestsPerHour;
    const { intervalMs, amount } = refillPlan(wanted.requestsPerHour);
    const b = entry.bottleneck;
    // What is left of this interval is cut to the new amount, never raised.
    entry.ready = entry.ready.then(async () => {
      const left = await b.currentReservoir();
      await b.updateSettings({
        reservoir: Math.min(left ?? amount, amount),
        reservoirIncreaseAmount: amount,
        reservoirIncreaseInterval: intervalMs,
        reservoirIncreaseMaximum: amount,
      });
    });
  }
}

function handle(key: string, entry: Entry): RateLimiter {
  let released = false;
  return {
    key,
    schedule<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      if (signal?.aborted) return Promise.reject(abortReason(signal));
      const job = entry.ready.then(() => entry.bottleneck.schedule(async () => {
        // Holding the slot while paused keeps every other request of the connection waiting too.
        const wait = entry.pausedUntil - Date.now();
        if (wait > 0) await sleep(wait, signal).catch(() => undefined);
        if (signal?.aborted) throw abortReason(signal);
        return fn();
      }));
      if (!signal) return job;
      return new Promise<T>((resolve, reject) => {
        const onAbort = (): void => reject(abortReason(signal));
        signal.addEventListener('abort', onAbort, { once: true });
        job.then(
          (v) => {
            signal.removeEventListener('abort', onAbort);
            resolve(v);
          },
          (e: unknown) => {
            signal.removeEventListener('abort', onAbort);
            reject(e);
          },
        );
      });
    },
    pauseFor(ms: number) {
      entry.pausedUntil = Math.max(entry.pausedUntil, Date.now() + ms);
    },
    queued: () => entry.bottleneck.counts().QUEUED,
    async release() {
      if (released) return;
      released = true;
      entry.refs--;
      if (entry.refs > 0) return;
      registry.delete(key);
      await entry.bottleneck.stop({ dropWaitingJobs: true });
    },
  };
}

function abortReason(signal: AbortSignal): unknown {
  return isDevlakeError(signal.reason) ? signal.reason : cancelledError();
}
