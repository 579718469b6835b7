import type { RedisOptions } from 'ioredis';

/**
 * The connection part of ioredis options from a `redis://` / `rediss://` URL
 * (host, port, user, password, database number, TLS); callers add their own
 * retry and queueing behaviour. Query parameters (our `?prefix=`) are ignored.
 */
export function redisUrlOptions(url: string): Pick<RedisOptions, 'host' | 'port' | 'username' | 'password' | 'db' | 'tls'> {
  const u = new URL(url);
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: Number(u.port || 6379),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}
