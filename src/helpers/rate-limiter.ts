import { createHash } from 'node:crypto';
import { cancelledError, isDevlakeError } from '../core/errors';
import { onAbort } from './linked-signal';

/**
 * One request budget per connection (endpoint + token), shared by every
 * ApiClient of the process, so that collectors running side by side in a run
 * never exceed `<PLUGIN>_API_REQUESTS_PER_HOUR` together. Requests are paced
 * evenly (one every `HOUR / requestsPerHour` ms, as DevLake's ticker does),
 * with a burst of at most a tenth of a second's budget, and the concurrency is
 * bounded; a response saying the budget is spent (`X-RateLimit-Remaining: 0`)
 * pauses every request of the connection until the announced reset.
 *
 * A token bucket of our own rather than Bottleneck: a request that finds a
 * token and a free slot starts at once (no timer, no promise chain), which is
 * every request when the limit is far off.
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
  /** Releases this user's reference; the last one stops the limiter (waiting requests are cancelled). */
  release(): Promise<void>;
}

const HOUR = 3_600_000; // ms
/** The burst allowed: this share of an hour's budget (a tenth of a second's). */
const BURST_SHARE = 36_000;

interface Waiter {
  start(): void;
  cancel(reason: unknown): void;
  unwatch?: () => void;
}

interface Entry {
  /** The settings in force: the strictest any user asked for. */
  options: RateLimiterOptions;
  /** ms between requests, and the tokens the bucket holds at most. */
  intervalMs: number;
  burst: number;
  tokens: number;
  refilledAt: number;
  inFlight: number;
  /** Waiting requests, first come first served (a Set: an aborted one leaves in O(1)). */
  waiting: Set<Waiter>;
  pausedUntil: number;
  timer?: NodeJS.Timeout;
  timerAt: number;
  refs: number;
}

const registry = new Map<string, Entry>();

/** The hash a connection is shared under: endpoint and credential, never stored in clear. */
export function rateLimiterKey(endpoint: string | undefined, credential: string | undefined): string {
  return createHash('sha256').update(`${endpoint ?? ''}\n${credential ?? ''}`).digest('hex').slice(0, 16);
}

/**
 * Pacing of a budget: one request every `intervalMs`, and at most `burst`
 * at once after an idle spell (a tenth of a second's budget, at least 1), so
 * that no window of any length sees more than its share plus that burst.
 */
export function pacePlan(requestsPerHour: number): { intervalMs: number; burst: number } {
  return { intervalMs: HOUR / requestsPerHour, burst: Math.max(1, Math.floor(requestsPerHour / BURST_SHARE)) };
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
  else {
    const { intervalMs, burst } = pacePlan(options.requestsPerHour);
    entry = {
      options: { ...options },
      intervalMs,
      burst,
      tokens: burst,
      refilledAt: Date.now(),
      inFlight: 0,
      waiting: new Set(),
      pausedUntil: 0,
      timerAt: 0,
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
  if (wanted.concurrency < current.concurrency) current.concurrency = wanted.concurrency;
  if (wanted.requestsPerHour < current.requestsPerHour) {
    current.requestsPerHour = wanted.requestsPerHour;
    refill(entry, Date.now());
    const { intervalMs, burst } = pacePlan(wanted.requestsPerHour);
    entry.intervalMs = intervalMs;
    entry.burst = burst;
    // What the bucket holds is cut to the new burst, never raised.
    entry.tokens = Math.min(entry.tokens, burst);
  }
}

function refill(entry: Entry, now: number): void {
  if (now > entry.refilledAt) {
    entry.tokens = Math.min(entry.burst, entry.tokens + (now - entry.refilledAt) / entry.intervalMs);
    entry.refilledAt = now;
  }
}

/** Takes a token if the budget and a slot allow a request now. */
function admit(entry: Entry, now: number): boolean {
  if (entry.inFlight >= entry.options.concurrency || entry.pausedUntil > now) return false;
  refill(entry, now);
  if (entry.tokens < 1) return false;
  entry.tokens -= 1;
  entry.inFlight++;
  return true;
}

/** Starts the waiting requests the budget allows; arms a timer for the next token or the end of a pause. */
function pump(entry: Entry): void {
  while (entry.waiting.size > 0) {
    const now = Date.now();
    if (!admit(entry, now)) {
      // A full set of requests in flight: a finishing one pumps again.
      if (entry.inFlight >= entry.options.concurrency) return;
      const at = entry.pausedUntil > now ? entry.pausedUntil : now + Math.max(1, Math.ceil((1 - entry.tokens) * entry.intervalMs));
      arm(entry, at);
      return;
    }
    const first: Waiter = entry.waiting.values().next().value as Waiter;
    entry.waiting.delete(first);
    first.unwatch?.();
    first.start();
  }
}

function arm(entry: Entry, at: number): void {
  if (entry.timer && entry.timerAt <= at) return;
  if (entry.timer) clearTimeout(entry.timer);
  entry.timerAt = at;
  entry.timer = setTimeout(() => {
    entry.timer = undefined;
    pump(entry);
  }, at - Date.now());
}

function disarm(entry: Entry): void {
  if (entry.timer) clearTimeout(entry.timer);
  entry.timer = undefined;
}

/** Runs an admitted request; its end frees the slot. */
function run<T>(entry: Entry, fn: () => Promise<T>): Promise<T> {
  return settleThen(fn, () => {
    entry.inFlight--;
    if (entry.waiting.size > 0) pump(entry);
  });
}

/** Calls `fn`, and `done` once what it returned settles (or at once when it throws): a request slot freed either way. */
export function settleThen<T>(fn: () => Promise<T>, done: () => void): Promise<T> {
  let p: Promise<T>;
  try {
    p = fn();
  } catch (err) {
    done();
    return Promise.reject(err);
  }
  return p.then(
    (v) => {
      done();
      return v;
    },
    (err: unknown) => {
      done();
      throw err;
    },
  );
}

function handle(key: string, entry: Entry): RateLimiter {
  let released = false;
  return {
    key,
    schedule<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      if (signal?.aborted) return Promise.reject(abortReason(signal.reason));
      // The fast path: nobody waiting, a slot and a token free.
      if (entry.waiting.size === 0 && admit(entry, Date.now())) return run(entry, fn);
      return new Promise<T>((resolve, reject) => {
        const waiter: Waiter = {
          start: () => run(entry, fn).then(resolve, reject),
          cancel: reject,
        };
        entry.waiting.add(waiter);
        if (signal) {
          waiter.unwatch = onAbort(signal, (reason) => {
            if (!entry.waiting.delete(waiter)) return;
            if (entry.waiting.size === 0) disarm(entry);
            reject(abortReason(reason));
          });
        }
        pump(entry);
      });
    },
    pauseFor(ms: number) {
      entry.pausedUntil = Math.max(entry.pausedUntil, Date.now() + ms);
    },
    queued: () => entry.waiting.size,
    async release() {
      if (released) return;
      released = true;
      entry.refs--;
      if (entry.refs > 0) return;
      registry.delete(key);
      disarm(entry);
      const waiting = [...entry.waiting];
      entry.waiting.clear();
      for (const w of waiting) {
        w.unwatch?.();
        w.cancel(cancelledError());
      }
    },
  };
}

function abortReason(reason: unknown): unknown {
  return isDevlakeError(reason) ? reason : cancelledError();
}
