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
