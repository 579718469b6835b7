/**
 * Every key under a prefix with its value, read whatever its type (string,
 * hash, list, set, sorted set, stream), as one text to search for secrets.
 */
export async function redisDump(url: string, prefix: string): Promise<{ keys: string[]; text: string }> {
  const { default: Redis } = await import('ioredis');
  const r = new Redis(url);
  try {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    const parts: string[] = [];
    for (const key of keys.sort()) {
      const type = await r.type(key);
      let value: unknown;
      switch (type) {
        case 'string':
          value = await r.get(key);
          break;
        case 'hash':
          value = await r.hgetall(key);
          break;
        case 'list':
          value = await r.lrange(key, 0, -1);
          break;
        case 'set':
          value = await r.smembers(key);
          break;
        case 'zset':
          value = await r.zrange(key, 0, -1, 'WITHSCORES');
          break;
        case 'stream':
          value = await r.xrange(key, '-', '+');
          break;
        default:
          value = `(${type})`;
      }
      parts.push(`${key} ${type} ${JSON.stringify(value)}`);
    }
    return { keys, text: parts.join('\n') };
  } finally {
    r.disconnect();
  }
}

/** Deletes every key under a prefix (a test's own). */
export async function dropPrefix(url: string, prefix: string): Promise<void> {
  const { default: Redis } = await import('ioredis');
  const r = new Redis(url);
  try {
    const keys = await r.keys(`${prefix}:*`);
    if (keys.length) await r.del(...keys);
  } finally {
    r.disconnect();
  }
}
