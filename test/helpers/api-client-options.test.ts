import { resolveApiClientOptions } from '../../src/helpers/api-client-options';

const ctx = (env: Record<string, string>) => ({ pluginName: 'my-api', getConfig: (k: string) => env[k] });

describe('resolveApiClientOptions: credentials from <PLUGIN>_* configuration', () => {
  it('takes a token first, then basic username + password, then a custom header, else none', () => {
    expect(resolveApiClientOptions(ctx({ MY_API_TOKEN: 't', MY_API_USERNAME: 'u', MY_API_PASSWORD: 'p' }), {}).auth).toEqual({ type: 'bearer', token: 't' });
    expect(resolveApiClientOptions(ctx({ MY_API_USERNAME: 'u', MY_API_PASSWORD: 'p' }), {}).auth).toEqual({ type: 'basic', username: 'u', password: 'p' });
    expect(resolveApiClientOptions(ctx({ MY_API_AUTH_HEADER_NAME: 'PRIVATE-TOKEN', MY_API_AUTH_HEADER_VALUE: 'v' }), {}).auth).toEqual({
      type: 'header',
      name: 'PRIVATE-TOKEN',
      value: 'v',
    });
    expect(resolveApiClientOptions(ctx({ MY_API_USERNAME: 'u' }), {}).auth).toBeUndefined();
    // Explicit options win over configuration.
    expect(resolveApiClientOptions(ctx({ MY_API_TOKEN: 't' }), { auth: { type: 'bearer', token: 'x' } }).auth).toEqual({ type: 'bearer', token: 'x' });
  });
});

describe('resolveApiClientOptions: the shared rate limit', () => {
  it('takes DEVLAKE_RATE_LIMIT_REDIS (off: per process), explicit options first, and rejects a URL that is not redis://', () => {
    expect(resolveApiClientOptions(ctx({}), {}).rateLimitRedis).toBeUndefined();
    expect(resolveApiClientOptions(ctx({ DEVLAKE_RATE_LIMIT_REDIS: 'redis://127.0.0.1:6379?prefix=x' }), {}).rateLimitRedis).toBe('redis://127.0.0.1:6379?prefix=x');
    expect(resolveApiClientOptions(ctx({ DEVLAKE_RATE_LIMIT_REDIS: 'off' }), {}).rateLimitRedis).toBeUndefined();
    expect(resolveApiClientOptions(ctx({ DEVLAKE_RATE_LIMIT_REDIS: 'redis://a:1' }), { rateLimitRedis: 'redis://b:2' }).rateLimitRedis).toBe('redis://b:2');
    expect(() => resolveApiClientOptions(ctx({ DEVLAKE_RATE_LIMIT_REDIS: 'http://127.0.0.1:6379' }), {})).toThrow(/DEVLAKE_RATE_LIMIT_REDIS is not a redis:\/\/ URL/);
  });
});
