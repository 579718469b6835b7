import { randomBytes } from 'node:crypto';
import { hasErrorCode } from '../../src/core/errors';
import { memoryLogger } from '../../src/core/logger';
import { rateLimiterKey } from '../../src/helpers/rate-limiter';
import { acquireSharedRateLimiter } from '../../src/helpers/shared-rate-limiter';

/**
 * The Redis-backed budget, on the real Redis (a key prefix per test). Two
 * URLs naming the same Redis and prefix (`…:6379` and `…:6379/0`) give two
 * limiters with their own client and waiting line, as two processes have:
 * they share the budget only through Redis. The multi-process case (three
 * `devlake worker`s) is test/pipeline/queue-rate-limit.test.ts.
 */
const REDIS = process.env.DEVLAKE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function urls(): { a: string; b: string; prefix: string } {
  const prefix = `dlt_rl_${randomBytes(4).toString('hex')}`;
  const base = new URL(REDIS);
  const b = new URL(REDIS);
  b.pathname = '/0';
  base.searchParams.set('prefix', prefix);
  b.searchParams.set('prefix', prefix);
  return { a: base.toString(), b: b.toString(), prefix };
}

async function keysOf(prefix: string): Promise<string[]> {
  const { default: Redis } = await import('ioredis');
  const r = new Redis(REDIS);
  try {
    return await r.keys(`${prefix}:*`);
  } finally {
    r.disconnect();
  }
}

async function dropPrefix(prefix: string): Promise<void> {
  const { default: Redis } = await import('ioredis');
  const r = new Redis(REDIS);
  const keys = await r.keys(`${prefix}:*`);
  if (keys.length) await r.del(...keys);
  r.disconnect();
}

/** Runs `workers` loops of requests on `limiter` for `ms`, returning when each request started (ms from the start). */
async function hammer(limiter: ReturnType<typeof acquireSharedRateLimiter>, workers: number, ms: number, t0: number): Promise<number[]> {
  const starts: number[] = [];
  const stop = AbortSignal.timeout(ms);
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (!stop.aborted) {
        try {
          await limiter.schedule(async () => {
            starts.push(Date.now() - t0);
            await new Promise((r) => setTimeout(r, 2));
          }, stop);
        } catch (err) {
          if (!hasErrorCode(err, 'DEVLAKE_E_CANCELLED')) throw err;
        }
      }
    }),
  );
  return starts;
}

describe('shared rate limiter (Redis)', () => {
  it('two limiters sharing through Redis spend one budget together, paced evenly', async () => {
    const { a, b, prefix } = urls();
    const key = rateLimiterKey('http://api.example/', 'token-shared-1');
    // 40 requests/s: one every 25 ms, a burst of 4 (a tenth of a second's budget).
    const one = acquireSharedRateLimiter(a, key, { requestsPerHour: 144_000, concurrency: 4 });
    const two = acquireSharedRateLimiter(b, key, { requestsPerHour: 144_000, concurrency: 4 });
    try {
      const t0 = Date.now();
      const [s1, s2] = await Promise.all([hammer(one, 4, 1500, t0), hammer(two, 4, 1500, t0)]);
      const all = [...s1, ...s2].sort((x, y) => x - y);
      // 1.5 s at 40/s: 60, plus the burst of 4; each side alone would have taken as many.
      expect(all.length).toBeGreaterThanOrEqual(50);
      expect(all.length).toBeLessThanOrEqual(64);
      expect(s1.length).toBeGreaterThan(10);
      expect(s2.length).toBeGreaterThan(10);
      // No 1 s window holds much more than its share (40 and the burst of 4; 88 if each side spent its own). Starts are
      // timed after the round trip to Redis, whose latency varies by tens of ms on a loaded machine: a few
      // requests Redis let through just before the window may start inside it.
      const busiest = Math.max(...all.map((t) => all.filter((u) => u >= t && u < t + 1000).length));
      expect(busiest).toBeLessThanOrEqual(48);
    } finally {
      await one.release();
      await two.release();
      await dropPrefix(prefix);
    }
  });

  it('a pause asked for by one (Retry-After) holds the other', async () => {
    const { a, b, prefix } = urls();
    const key = rateLimiterKey('http://api.example/', 'token-pause');
    const one = acquireSharedRateLimiter(a, key, { requestsPerHour: 360_000, concurrency: 2 });
    const two = acquireSharedRateLimiter(b, key, { requestsPerHour: 360_000, concurrency: 2 });
    try {
      await two.schedule(async () => undefined); // the other side is up and has spent a token
      one.pauseFor(600);
      await new Promise((r) => setTimeout(r, 50)); // the pause reaches Redis
      const t0 = Date.now();
      await two.schedule(async () => undefined);
      const waited = Date.now() - t0;
      expect(waited).toBeGreaterThanOrEqual(450);
      expect(waited).toBeLessThan(5000);
    } finally {
      await one.release();
      await two.release();
      await dropPrefix(prefix);
    }
  });

  it('stores only a hash of endpoint and credential in Redis', async () => {
    const { a, prefix } = urls();
    const token = `ghp_${randomBytes(8).toString('hex')}`;
    const key = rateLimiterKey('http://api.example/', token);
    const limiter = acquireSharedRateLimiter(a, key, { requestsPerHour: 360_000, concurrency: 2 });
    try {
      await limiter.schedule(async () => undefined);
      limiter.pauseFor(50);
      await new Promise((r) => setTimeout(r, 30));
      const keys = await keysOf(prefix);
      expect(keys.sort()).toEqual([`${prefix}:ratelimit:{${key}}:members`, `${prefix}:ratelimit:{${key}}:pause`, `${prefix}:ratelimit:{${key}}:tat`]);
      expect(keys.join(' ')).not.toContain(token);
    } finally {
      await limiter.release();
      await dropPrefix(prefix);
    }
  });

  it('without Redis: paces the process alone, warns once without secrets, and cancels waiting requests on release', async () => {
    const logger = memoryLogger();
    const limiter = acquireSharedRateLimiter('redis://:hunter2-secret@127.0.0.1:1', rateLimiterKey('http://x/', 't'), { requestsPerHour: 36_000, concurrency: 2 }, logger);
    const t0 = Date.now();
    await limiter.schedule(async () => undefined);
    await limiter.schedule(async () => undefined);
    await limiter.schedule(async () => undefined);
    // 10/s: the third request waited two intervals.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(180);
    const warnings = logger.lines.filter((l) => l.includes('Redis unreachable'));
    expect(warnings).toHaveLength(1);
    expect(logger.lines.join('\n')).not.toContain('hunter2');
    limiter.pauseFor(60_000);
    const waiting = limiter.schedule(async () => 'never').catch((e: unknown) => e);
    await limiter.release();
    expect(hasErrorCode(await waiting, 'DEVLAKE_E_CANCELLED')).toBe(true);
  });
});
