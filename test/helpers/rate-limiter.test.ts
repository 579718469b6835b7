import { hasErrorCode } from '../../src/core/errors';
import { acquireRateLimiter, pacePlan, rateLimiterKey } from '../../src/helpers/rate-limiter';

describe('rate limiter', () => {
  it('paces a budget evenly, with a burst of at most a tenth of a second of it', () => {
    expect(pacePlan(72_000)).toEqual({ intervalMs: 50, burst: 2 });
    expect(pacePlan(5_000)).toEqual({ intervalMs: 720, burst: 1 });
    expect(pacePlan(30)).toEqual({ intervalMs: 120_000, burst: 1 });
  });

  it('keys connections by endpoint and credential without exposing the credential', () => {
    const a = rateLimiterKey('https://api.github.com/', 'ghp_secret');
    expect(a).toBe(rateLimiterKey('https://api.github.com/', 'ghp_secret'));
    expect(a).not.toBe(rateLimiterKey('https://api.github.com/', 'other'));
    expect(a).not.toContain('secret');
  });

  it('is shared by every user of a key and bounds the requests in flight', async () => {
    const key = rateLimiterKey('http://shared/', 'k1');
    const one = acquireRateLimiter(key, { requestsPerHour: 360_000, concurrency: 2 });
    const two = acquireRateLimiter(key, { requestsPerHour: 360_000, concurrency: 50 });
    let inFlight = 0;
    let peak = 0;
    const job = async (): Promise<number> => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 15));
      inFlight--;
      return 1;
    };
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? one : two).schedule(job)));
    expect(results).toHaveLength(8);
    expect(peak).toBe(2);
    await one.release();
    await two.release();
  });

  it('queues requests once the hourly budget is spent, and cancels them on abort', async () => {
    const limiter = acquireRateLimiter(rateLimiterKey('http://tiny/', 'k2'), { requestsPerHour: 1, concurrency: 5 });
    expect(await limiter.schedule(async () => 'first')).toBe('first');
    const ac = new AbortController();
    const second = limiter.schedule(async () => 'second', ac.signal);
    await new Promise((r) => setTimeout(r, 20));
    expect(limiter.queued()).toBe(1);
    ac.abort();
    const err = await second.catch((e: unknown) => e);
    expect(hasErrorCode(err, 'DEVLAKE_E_CANCELLED')).toBe(true);
    await limiter.release();
  });

  it('applies the strictest settings of its users, whichever acquired it first', async () => {
    const key = rateLimiterKey('http://tightened/', 'k3');
    const loose = acquireRateLimiter(key, { requestsPerHour: 360_000, concurrency: 50 });
    const strict = acquireRateLimiter(key, { requestsPerHour: 1, concurrency: 1 });
    let inFlight = 0;
    let peak = 0;
    let ran = 0;
    const job = async (): Promise<void> => {
      inFlight++;
      ran++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 10));
      inFlight--;
    };
    await loose.schedule(job);
    const ac = new AbortController();
    const waiting = [loose.schedule(job, ac.signal), strict.schedule(job, ac.signal)].map((p) => p.catch((e: unknown) => e));
    await new Promise((r) => setTimeout(r, 50));
    // One request per hour: the first spent it, the next two wait for the next refill.
    expect(ran).toBe(1);
    expect(loose.queued()).toBe(2);
    ac.abort();
    for (const err of await Promise.all(waiting)) expect(hasErrorCode(err, 'DEVLAKE_E_CANCELLED')).toBe(true);
    expect(peak).toBe(1);
    await loose.release();
    await strict.release();
  });

  it('bounds concurrency by the strictest user even when a looser one came first', async () => {
    const key = rateLimiterKey('http://narrowed/', 'k4');
    const loose = acquireRateLimiter(key, { requestsPerHour: 360_000, concurrency: 50 });
    const strict = acquireRateLimiter(key, { requestsPerHour: 360_000, concurrency: 2 });
    let inFlight = 0;
    let peak = 0;
    const job = async (): Promise<void> => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 15));
      inFlight--;
    };
    await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? loose : strict).schedule(job)));
    expect(peak).toBe(2);
    await loose.release();
    await strict.release();
  });
  it('lets at most a tenth of a second of budget through at once, the rest waits its turn', async () => {
    // 50 requests/s: one every 20 ms, a burst of 5.
    const limiter = acquireRateLimiter(rateLimiterKey('http://paced/', 'k5'), { requestsPerHour: 180_000, concurrency: 20 });
    let started = 0;
    const gate = new Promise<void>((r) => setTimeout(r, 5));
    const all = Array.from({ length: 10 }, () =>
      limiter.schedule(async () => {
        started++;
        await gate;
      }),
    );
    expect(started).toBe(5);
    expect(limiter.queued()).toBe(5);
    await Promise.all(all);
    expect(started).toBe(10);
    await limiter.release();
  });

  it('cancels the requests still waiting when the last user releases it', async () => {
    const limiter = acquireRateLimiter(rateLimiterKey('http://released/', 'k6'), { requestsPerHour: 1, concurrency: 5 });
    await limiter.schedule(async () => undefined);
    const waiting = limiter.schedule(async () => 'never').catch((e: unknown) => e);
    expect(limiter.queued()).toBe(1);
    await limiter.release();
    expect(hasErrorCode(await waiting, 'DEVLAKE_E_CANCELLED')).toBe(true);
  });
});
