import { DevlakeError } from '../core/errors';
import { redact, registerUrlPassword } from '../core/redact';
import { redisUrlOptions } from '../helpers/redis-url';

/** Where the queue lives: a Redis URL and the key prefix every BullMQ key gets (one per test, or per deployment). */
export interface QueueTarget {
  /** The Redis URL without devlake's own `prefix` parameter. */
  url: string;
  /** BullMQ key prefix: `?prefix=` of the URL, else DEVLAKE_QUEUE_PREFIX, else `devlake`. */
  prefix: string;
}

/** The one BullMQ queue every task and stage job goes to. */
export const QUEUE_NAME = 'devlake-tasks';

/** Parses `--queue redis://host:port[/db][?prefix=name]`. */
export function parseQueueUrl(text: string, env: NodeJS.ProcessEnv = process.env): QueueTarget {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new DevlakeError('DEVLAKE_E_USAGE', `--queue "${redact(text)}" is not a URL`, { hint: 'e.g. --queue redis://127.0.0.1:6379' });
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new DevlakeError('DEVLAKE_E_USAGE', `--queue must be a redis:// URL, not ${u.protocol}`, { hint: 'e.g. --queue redis://127.0.0.1:6379' });
  }
  registerUrlPassword(text);
  const prefix = u.searchParams.get('prefix') ?? env.DEVLAKE_QUEUE_PREFIX ?? 'devlake';
  u.searchParams.delete('prefix');
  return { url: u.toString(), prefix };
}

/** ioredis options BullMQ needs for blocking connections (workers, queue events). */
export function redisOptions(target: QueueTarget, opts: { failFast?: boolean } = {}): import('ioredis').RedisOptions {
  return {
    ...redisUrlOptions(target.url),
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    // A lost server is retried with backoff (workers stop taking tasks meanwhile); at start, fail fast.
    retryStrategy: opts.failFast ? () => null : (times: number) => Math.min(200 * times, 2000),
    ...(opts.failFast ? { lazyConnect: true, connectTimeout: 3000 } : {}),
  };
}

/** Checks that Redis answers; DEVLAKE_E_QUEUE_CONNECT otherwise, before anything is enqueued or any row is written. */
export async function checkQueue(text: string): Promise<QueueTarget> {
  const target = parseQueueUrl(text);
  const { default: Redis } = require('ioredis') as typeof import('ioredis');
  const client = new Redis({ ...redisOptions(target, { failFast: true }), maxRetriesPerRequest: 0 });
  client.on('error', () => undefined); // reported below, once
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    throw new DevlakeError('DEVLAKE_E_QUEUE_CONNECT', `Cannot reach the queue at ${redact(target.url)}: ${redact((err as Error).message)}`, {
      hint: 'Start Redis (redis-server --daemonize yes) or fix the --queue redis://host:port URL.',
      cause: err,
    });
  } finally {
    client.disconnect();
  }
  return target;
}
