import { redisUrlOptions } from '../../src/helpers/redis-url';

describe('redisUrlOptions', () => {
  it('reads host, port, credentials, database and TLS from the URL, ignoring its query', () => {
    expect(redisUrlOptions('redis://127.0.0.1:6379?prefix=x')).toEqual({ host: '127.0.0.1', port: 6379 });
    expect(redisUrlOptions('rediss://u%40x:p%2Fw@[::1]:6380/2')).toEqual({ host: '::1', port: 6380, username: 'u@x', password: 'p/w', db: 2, tls: {} });
    expect(redisUrlOptions('redis://h').port).toBe(6379);
  });
});
