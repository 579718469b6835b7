import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type { Measure } from './lib/measure';
import { startPageServer } from './lib/page-server';
import type { SharedLimitJob } from './lib/shared-limit-client';

const REDIS = process.env.DEVLAKE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PROCESSES = 3;
const CONCURRENCY = 8;

/** Runs one client process; resolves with its completion times (epoch ms). */
function client(job: SharedLimitJob): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'lib', 'shared-limit-child.js'), JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim()) as number[]) : reject(new Error(`client exited ${code}: ${err}`))));
  });
}

async function dropPrefix(prefix: string): Promise<void> {
  const { default: Redis } = require('ioredis') as typeof import('ioredis');
  const r = new Redis(REDIS);
  try {
    const keys = await r.keys(`${prefix}:*`);
    if (keys.length) await r.del(...keys);
  } finally {
    r.disconnect();
  }
}

/**
 * Three processes, each an ApiClient keeping 8 requests waiting, share one
 * budget through Redis (DEVLAKE_RATE_LIMIT_REDIS / `rateLimitRedis`, as
 * `devlake worker`s do): the requests all of them complete in a fixed window
 * against the configured limit. Neither more (three budgets, bursts) nor less
 * (pauses, lost tokens, round trips to Redis) than the limit.
 */
export const measure: Measure = {
  name: 'rate_limit_shared',
  description: 'requests/s of 3 processes sharing one budget through Redis, over a fixed window, vs the configured limit',
  async run({ quick, log }) {
    const perSecond = 20;
    const windowMs = quick ? 3_000 : 15_000;
    const prefix = `dlb_rl_${randomBytes(4).toString('hex')}`;
    const server = await startPageServer(1);
    try {
      const startAt = Date.now() + 4_000; // the children load the toolkit first
      const job: SharedLimitJob = {
        endpoint: server.url,
        redis: `${REDIS}?prefix=${prefix}`,
        token: `bench_${randomBytes(8).toString('hex')}`,
        requestsPerHour: perSecond * 3600,
        concurrency: CONCURRENCY,
        startAt,
        windowMs,
      };
      const perProcess = await Promise.all(Array.from({ length: PROCESSES }, () => client(job)));
      if (perProcess.some((times) => times.length > 0 && times[0]! < startAt)) throw new Error('a client started before the window');
      const inWindow = perProcess.map((times) => times.filter((t) => t <= startAt + windowMs).length);
      const total = inWindow.reduce((a, b) => a + b, 0);
      const achieved = (total * 1000) / windowMs;
      log(`rate_limit_shared: ${total} requests in ${windowMs} ms at a shared limit of ${perSecond}/s (per process: ${inWindow.join(', ')})`);
      return [
        {
          name: 'rate_limit_shared',
          value: achieved,
          ceiling: perSecond,
          ratio: achieved / perSecond,
          unit: 'req/s',
          goal: { min: 0.98, max: 1.02 },
          size: `${PROCESSES} processes × concurrency ${CONCURRENCY}, ${windowMs / 1000} s window, limit ${perSecond * 3600}/h`,
          note: `per process: ${inWindow.join(', ')} requests`,
        },
      ];
    } finally {
      await server.close();
      await dropPrefix(prefix);
    }
  },
};
