import { randomBytes } from 'node:crypto';
import { cancelledError, isDevlakeError } from '../core/errors';
import type { Logger } from '../core/logger';
import { redact, registerUrlPassword } from '../core/redact';
import { onAbort } from './linked-signal';
import { pacePlan, settleThen, type RateLimiter, type RateLimiterOptions } from './rate-limiter';
import { redisUrlOptions } from './redis-url';

/**
 * The Redis-backed form of the connection's request budget, shared by every
 * process (`devlake worker`s on any machine, or runs given
 * `DEVLAKE_RATE_LIMIT_REDIS`) that uses the same endpoint and credential.
 *
 * One atomic Lua script per request implements the same pacing as the
 * in-process bucket (GCRA: one request every `HOUR / requestsPerHour` ms, the
 * same burst), on Redis's own clock so machines with skewed clocks agree; a
 * pause key holds every process back after a `Retry-After` or a spent budget.
 * A script of our own rather than rate-limiter-flexible: its Redis limiter
 * counts points in fixed windows (a whole window's budget may go out at once,
 * twice that across a window edge) and cannot pace; its queue waits in one
 * process only. ioredis is already there (BullMQ's client).
 *
 * Only the head of a process's waiting line asks Redis (once per token, not
 * once per waiting request). Requests in flight are bounded per process.
 * While Redis is unreachable, each process paces itself at its share of the
 * budget (the limit divided by the processes last seen using it) and asks
 * Redis again every second.
 */

/** Where the shared budgets live: `redis://host:port[/db][?prefix=name]` (prefix default `DEVLAKE_QUEUE_PREFIX`, else `devlake`). */
export type SharedRateLimitUrl = string;

/**
 * GCRA take: KEYS = tat, pause, members; ARGV = interval ms, burst, member id.
 * Returns {ms to wait (0: go), processes seen in the last 30 s}.
 */
const TAKE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
redis.call('ZADD', KEYS[3], now, ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - 30000)
redis.call('PEXPIRE', KEYS[3], 60000)
local members = redis.call('ZCARD', KEYS[3])
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused > now then return {math.ceil(paused - now), members} end
local interval = tonumber(ARGV[1])
local tolerance = (tonumber(ARGV[2]) - 1) * interval
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
if tat - now > tolerance then return {math.ceil(tat - tolerance - now), members} end
tat = tat + interval
redis.call('SET', KEYS[1], string.format('%.3f', tat), 'PX', math.ceil(tat - now) + 1000)
return {0, members}
`;

/** Pause: KEYS = pause; ARGV = ms. Extends the pause of every process, never shortens it. */
const PAUSE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local target = now + tonumber(ARGV[1])
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if target > cur then redis.call('SET', KEYS[1], string.format('%.3f', target), 'PX', math.ceil(tonumber(ARGV[1])) + 1000) end
return 1
`;

interface LimiterRedis {
  status: string;
  once(event: string, listener: () => void): void;
  off(event: string, listener: () => void): void;
  devlakeRateTake(tat: string, pause: string, members: string, intervalMs: string, burst: string, member: string): Promise<[number, number]>;
  devlakeRatePause(pause: string, ms: string): Promise<number>;
  disconnect(): void;
}

interface Client {
  redis: LimiterRedis;
  prefix: string;
  refs: number;
}

interface Waiter {
  start(): void;
  cancel(reason: unknown): void;
  unwatch?: () => void;
}

interface Entry {
  client: Client;
  clientKey: string;
  keys: { tat: string; pause: string; members: string };
  member: string;
  options: RateLimiterOptions;
  intervalMs: number;
  burst: number;
  inFlight: number;
  waiting: Set<Waiter>;
  /** Local copy of a pause this process asked for (Redis holds the shared one). */
  pausedUntil: number;
  pumping: boolean;
  wake?: () => void;
  /** Processes seen sharing the budget: the share this one takes while Redis is away. */
  members: number;
  offline: boolean;
  offlineUntil: number;
  localTat: number;
  logger?: Logger;
  refs: number;
  closed: boolean;
}

const clients = new Map<string, Client>();
const registry = new Map<string, Entry>();
/** While Redis is unreachable, ask it again after this long (ms). */
const OFFLINE_RETRY_MS = 1000;

function openClient(url: SharedRateLimitUrl): { client: Client; clientKey: string } {
  const existing = clients.get(url);
  if (existing) {
    existing.refs++;
    return { client: existing, clientKey: url };
  }
  registerUrlPassword(url);
  const u = new URL(url);
  const prefix = u.searchParams.get('prefix') ?? process.env.DEVLAKE_QUEUE_PREFIX ?? 'devlake';
  const { default: Redis } = require('ioredis') as typeof import('ioredis');
  const redis = new Redis({
    ...redisUrlOptions(url),
    // A request never waits on a lost Redis: no command is queued while it is away (see usable()),
    // so none is left pending, with its timer, when the limiter closes.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 2000,
    // ioredis arms this timer on disconnect even for a socket already closed (Redis gone): keep it short.
    disconnectTimeout: 200,
    retryStrategy: (times: number) => Math.min(200 * times, 2000),
  });
  redis.on('error', () => undefined); // reported once by the limiter that finds Redis gone
  redis.defineCommand('devlakeRateTake', { numberOfKeys: 3, lua: TAKE_SCRIPT });
  redis.defineCommand('devlakeRatePause', { numberOfKeys: 1, lua: PAUSE_SCRIPT });
  const client: Client = { redis: redis as unknown as LimiterRedis, prefix, refs: 1 };
  clients.set(url, client);
  return { client, clientKey: url };
}

function closeClient(clientKey: string, client: Client): void {
  if (--client.refs > 0) return;
  clients.delete(clientKey);
  client.redis.disconnect();
}

/**
 * The limiter of connection `key` (a hash of endpoint and credential, see
 * `rateLimiterKey`), shared through Redis at `url`. Within the process it is
 * shared like `acquireRateLimiter`'s (strictest settings apply); across
 * processes every user should configure the same budget (each passes its own
 * pace to the script). Call `release()` when done.
 */
export function acquireSharedRateLimiter(url: SharedRateLimitUrl, key: string, options: RateLimiterOptions, logger?: Logger): RateLimiter {
  const id = `${url}\n${key}`;
  let entry = registry.get(id);
  if (entry) tighten(entry, options);
  else {
    const { client, clientKey } = openClient(url);
    const base = `${client.prefix}:ratelimit:{${key}}`;
    entry = {
      client,
      clientKey,
      keys: { tat: `${base}:tat`, pause: `${base}:pause`, members: `${base}:members` },
      member: randomBytes(6).toString('hex'),
      options: { ...options },
      ...pacePlan(options.requestsPerHour),
      inFlight: 0,
      waiting: new Set(),
      pausedUntil: 0,
      pumping: false,
      members: 1,
      offline: false,
      offlineUntil: 0,
      localTat: 0,
      logger,
      refs: 0,
      closed: false,
    };
    registry.set(id, entry);
  }
  entry.logger ??= logger;
  entry.refs++;
  return handle(id, key, entry);
}

function tighten(entry: Entry, wanted: RateLimiterOptions): void {
  if (wanted.concurrency < entry.options.concurrency) entry.options.concurrency = wanted.concurrency;
  if (wanted.requestsPerHour < entry.options.requestsPerHour) {
    entry.options.requestsPerHour = wanted.requestsPerHour;
    Object.assign(entry, pacePlan(wanted.requestsPerHour));
  }
}

/** Whether commands can go to Redis now; a client still making its first connection is waited for (2 s at most). */
async function usable(redis: LimiterRedis): Promise<boolean> {
  if (redis.status === 'ready') return true;
  if (redis.status !== 'wait' && redis.status !== 'connecting' && redis.status !== 'connect') return false;
  return new Promise<boolean>((resolve) => {
    const settle = (): void => {
      clearTimeout(timer);
      redis.off('ready', settle);
      redis.off('close', settle);
      resolve(redis.status === 'ready');
    };
    const timer = setTimeout(settle, 2000);
    redis.once('ready', settle);
    redis.once('close', settle);
  });
}

/** Ms to wait before the next request may start (0: start it now, a token is taken). */
async function take(entry: Entry): Promise<number> {
  const now = Date.now();
  if (entry.pausedUntil > now) return entry.pausedUntil - now;
  if (now >= entry.offlineUntil) {
    try {
      if (!(await usable(entry.client.redis))) throw new Error(`connection ${entry.client.redis.status}`);
      const [wait, members] = await entry.client.redis.devlakeRateTake(
        entry.keys.tat,
        entry.keys.pause,
        entry.keys.members,
        String(entry.intervalMs),
        String(entry.burst),
        entry.member,
      );
      entry.members = Math.max(1, Number(members));
      if (entry.offline) entry.logger?.info('shared rate limit: Redis is back, pacing with the other processes again');
      entry.offline = false;
      return Number(wait);
    } catch (err) {
      if (entry.closed) return 0;
      entry.offlineUntil = Date.now() + OFFLINE_RETRY_MS;
      if (!entry.offline) {
        entry.logger?.warn(
          `shared rate limit: Redis unreachable (${redact(String((err as Error).message ?? err))}); pacing this process at 1/${entry.members} of the limit until it is back`,
        );
      }
      entry.offline = true;
    }
  }
  // Redis away: this process's share of the budget, no burst.
  const t = Date.now();
  if (entry.localTat < t) entry.localTat = t;
  if (entry.localTat > t) return Math.ceil(entry.localTat - t);
  entry.localTat += entry.intervalMs * entry.members;
  return 0;
}

/** Sleeps `ms`, or less when the limiter is released. */
function nap(entry: Entry, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (entry.closed) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      entry.wake = undefined;
      resolve();
    }
    entry.wake = done;
  });
}

/** One loop per limiter: the head of the line asks for a token, starts when given one, else naps until told. */
async function pump(entry: Entry): Promise<void> {
  if (entry.pumping) return;
  entry.pumping = true;
  try {
    while (!entry.closed && entry.waiting.size > 0 && entry.inFlight < entry.options.concurrency) {
      const wait = await take(entry);
      if (wait > 0) {
        await nap(entry, wait);
        continue;
      }
      // A token taken for a request aborted meanwhile is lost: the budget is only ever under-spent.
      const first = entry.waiting.values().next().value as Waiter | undefined;
      if (!first) break;
      entry.waiting.delete(first);
      first.unwatch?.();
      first.start();
    }
  } finally {
    entry.pumping = false;
  }
}

function run<T>(entry: Entry, fn: () => Promise<T>): Promise<T> {
  entry.inFlight++;
  return settleThen(fn, () => {
    entry.inFlight--;
    if (entry.waiting.size > 0) void pump(entry);
  });
}

function handle(id: string, key: string, entry: Entry): RateLimiter {
  let released = false;
  return {
    key,
    schedule<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      if (signal?.aborted) return Promise.reject(abortReason(signal.reason));
      return new Promise<T>((resolve, reject) => {
        const waiter: Waiter = { start: () => run(entry, fn).then(resolve, reject), cancel: reject };
        entry.waiting.add(waiter);
        if (signal) {
          waiter.unwatch = onAbort(signal, (reason) => {
            if (entry.waiting.delete(waiter)) reject(abortReason(reason));
          });
        }
        void pump(entry);
      });
    },
    pauseFor(ms: number) {
      entry.pausedUntil = Math.max(entry.pausedUntil, Date.now() + ms);
      // Every other process sees the pause at its next request; a lost Redis only loses the sharing.
      if (entry.client.redis.status === 'ready') entry.client.redis.devlakeRatePause(entry.keys.pause, String(Math.ceil(ms))).catch(() => undefined);
    },
    queued: () => entry.waiting.size,
    async release() {
      if (released) return;
      released = true;
      if (--entry.refs > 0) return;
      registry.delete(id);
      entry.closed = true;
      entry.wake?.();
      const waiting = [...entry.waiting];
      entry.waiting.clear();
      for (const w of waiting) {
        w.unwatch?.();
        w.cancel(cancelledError());
      }
      closeClient(entry.clientKey, entry.client);
    },
  };
}

function abortReason(reason: unknown): unknown {
  return isDevlakeError(reason) ? reason : cancelledError();
}
