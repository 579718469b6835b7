import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import * as zlib from 'node:zlib';
import { DevlakeError, hasErrorCode } from '../../src/core/errors';
import { clearSecrets } from '../../src/core/redact';
import { createApiClient, MAX_RATE_LIMIT_WAITS, type ApiClient } from '../../src/helpers/api-client';
import { memoryLogger } from '../../src/core/logger';
import { nextLink as parseNextLink } from '../../src/helpers/pagination';

const nextLink = (header: string | undefined): string => parseNextLink(header, 'http://127.0.0.1/') ?? '';
import { startServer, testTaskContext, type Reply, type TestServer } from './api-test-server';

const fast = { retryBaseDelayMs: 1, maxRetryDelayMs: 50 };

async function failure(p: Promise<unknown>): Promise<DevlakeError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof DevlakeError) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

describe('ApiClient', () => {
  let server: TestServer | undefined;
  let client: ApiClient | undefined;
  afterEach(async () => {
    await client?.close();
    await server?.close();
    client = undefined;
    server = undefined;
    clearSecrets();
  });

  it('takes endpoint and bearer token from <PLUGIN>_* configuration and resolves relative paths with a query', async () => {
    server = await startServer(() => ({ body: { ok: true } }));
    const ctx = testTaskContext({ pluginName: 'my-tool', env: { MY_TOOL_ENDPOINT: `${server.url}api/v3`, MY_TOOL_TOKEN: 'tok-123456789' } });
    client = createApiClient(ctx);
    const res = await client.get('/repos/a/b', { query: { page: 2, state: 'all', skip: undefined, label: ['x', 'y'] } });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ ok: true });
    expect(server.requests[0].url).toBe('/api/v3/repos/a/b?page=2&state=all&label=x&label=y');
    expect(server.requests[0].headers.authorization).toBe('Bearer tok-123456789');
  });

  it('keeps the query of the endpoint (…/api/?api_key=KEY) on every request, masked in errors', async () => {
    server = await startServer((req) =>
      req.url.startsWith('/api/items')
        ? { body: [], headers: { link: `<${server!.url}api/items?page=2>; rel="next"` } }
        : { status: 404, body: { message: `no ${req.url}` } },
    );
    const ctx = testTaskContext({ pluginName: 'keyed', env: { KEYED_ENDPOINT: `${server.url}api/?api_key=KEY-0123456789` } });
    client = createApiClient(ctx);
    const first = await client.get('items', { query: { page: 1 } });
    // A Link header's next page that leaves the key out still gets it.
    await client.get(nextLink(first.headers.link));
    expect(server.requests.map((r) => r.url)).toEqual(['/api/items?api_key=KEY-0123456789&page=1', '/api/items?page=2&api_key=KEY-0123456789']);
    const err = await failure(client.get('missing'));
    expect(err.code).toBe('DEVLAKE_E_API_NOT_FOUND');
    expect(server.requests[2].url).toBe('/api/missing?api_key=KEY-0123456789');
    expect(err.message).toContain('/api/missing?api_key=***');
    expect(err.message).not.toContain('KEY-0123456789');
  });

  it('decodes gzip, deflate and br bodies (Content-Encoding), and fails clearly on a body that does not match', async () => {
    const json = JSON.stringify([{ id: 1, title: 'zipped' }]);
    const bodies: Record<string, Buffer> = {
      gzip: zlib.gzipSync(json),
      deflate: zlib.deflateSync(json),
      br: zlib.brotliCompressSync(json),
      'gzip, br': zlib.brotliCompressSync(zlib.gzipSync(json)),
    };
    const raw = http.createServer((req, res) => {
      const path = decodeURIComponent((req.url ?? '/').slice(1));
      const enc = path === 'broken' ? 'gzip' : path;
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': enc });
      res.end(bodies[path] ?? Buffer.from('not compressed at all'));
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(raw.address() as AddressInfo).port}/`;
      client = createApiClient(testTaskContext({}), { endpoint: url, retry: 0 });
      for (const enc of Object.keys(bodies)) {
        const res = await client.get(encodeURIComponent(enc));
        expect([enc, res.json()]).toEqual([enc, [{ id: 1, title: 'zipped' }]]);
      }
      const err = await failure(client.get('broken'));
      expect(err.code).toBe('DEVLAKE_E_API_RESPONSE');
      expect(err.message).toContain('/broken answered with a body that is not valid gzip');
      const unknown = await failure(client.get('zstd-ish'));
      expect(unknown.message).toContain('Content-Encoding "zstd-ish", which devlake-ts cannot decode');
    } finally {
      raw.closeAllConnections();
      await new Promise<void>((resolve) => raw.close(() => resolve()));
    }
  });

  it('tells the run about a wait over a second (the progress line shows it) and honours <PLUGIN>_API_MAX_WAIT', async () => {
    server = await startServer((_req, n) => (n === 1 ? { status: 429, headers: { 'retry-after': '1.1' }, body: {} } : n === 3 ? { status: 429, headers: { 'retry-after': '120' }, body: {} } : { body: [] }));
    const notes: string[] = [];
    const ctx = testTaskContext({ pluginName: 'waits', env: { WAITS_API_MAX_WAIT: '1m' }, http: { mode: 'live', onWait: (n) => notes.push(n) } });
    client = createApiClient(ctx, { endpoint: server.url });
    await client.get('a');
    expect(notes).toEqual([expect.stringMatching(/^waiting 1\.1 s, until \d\d:\d\d:\d\d UTC \(Retry-After: 1\.1\)$/)]);
    const err = await failure(client.get('b'));
    expect(err.code).toBe('DEVLAKE_E_API_RATE_LIMITED');
    expect(err.message).toContain('wait 2 min (Retry-After: 120), more than WAITS_API_MAX_WAIT (1 min)');
    expect(server.requests).toHaveLength(3);
  });

  it('logs a spent request budget with its reset, holds requests until then, and fails at once when the reset is beyond <PLUGIN>_API_MAX_WAIT', async () => {
    const resetIn = (s: number) => String(Math.ceil(Date.now() / 1000) + s);
    server = await startServer((req) =>
      req.url === '/soon' ? { body: [], headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetIn(2) } } : req.url === '/late' ? { body: [], headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': resetIn(7200) } } : { body: [] },
    );
    const logger = memoryLogger();
    client = createApiClient(testTaskContext({ pluginName: 'budget', env: { BUDGET_API_MAX_WAIT: '1m' }, logger }), { endpoint: server.url });
    const t0 = Date.now();
    await client.get('soon');
    await client.get('next');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000); // held until the announced reset, not sent at once
    expect(logger.lines.find((l) => l.includes('request budget'))).toMatch(
      /INFO .*request budget of 127\.0\.0\.1:\d+ spent \(X-RateLimit-Remaining: 0, budget resets in [\d.]+ s\) → holding its requests [\d.]+ s, until \d\d:\d\d:\d\d UTC/,
    );
    await client.get('late');
    const err = await failure(client.get('after-late'));
    expect(err.code).toBe('DEVLAKE_E_API_RATE_LIMITED');
    expect(err.message).toMatch(/more than BUDGET_API_MAX_WAIT \(1 min\)/);
    expect(server.requests.map((r) => r.url)).toEqual(['/soon', '/next', '/late']); // the request past the limit was never sent
  });

  it('sends basic and custom-header auth, default headers and JSON bodies', async () => {
    server = await startServer(() => ({ body: [] }));
    const ctx = testTaskContext({});
    client = createApiClient(ctx, { endpoint: server.url, auth: { type: 'basic', username: 'u', password: 'p4ss-word' }, headers: { 'x-app': 'devlake' } });
    await client.request({ method: 'post', path: 'search', body: { q: 'x' } });
    await client.close();
    client = createApiClient(ctx, { endpoint: server.url, auth: { type: 'header', name: 'private-token', value: 'glpat-secret' } });
    await client.get('projects');
    const [basic, header] = server.requests;
    expect(basic.method).toBe('POST');
    expect(basic.headers.authorization).toBe(`Basic ${Buffer.from('u:p4ss-word').toString('base64')}`);
    expect(basic.headers['x-app']).toBe('devlake');
    expect(basic.headers['content-type']).toBe('application/json');
    expect(JSON.parse(basic.body)).toEqual({ q: 'x' });
    expect(header.headers['private-token']).toBe('glpat-secret');
  });

  it('keeps connections alive: sequential requests reuse one socket of the pool', async () => {
    server = await startServer(() => ({ body: [] }));
    client = createApiClient(testTaskContext({}), { endpoint: server.url });
    for (const path of ['a', 'b', 'c']) await client.get(path);
    expect(server.requests).toHaveLength(3);
    expect(new Set(server.requests.map((r) => r.remotePort)).size).toBe(1);
  });

  it('retries 5xx with backoff until a success', async () => {
    server = await startServer((_req, n) => (n < 3 ? { status: n === 1 ? 500 : 502, body: 'oops' } : { body: [1] }));
    client = createApiClient(testTaskContext({}), { endpoint: server.url, ...fast });
    const res = await client.get('x');
    expect(res.json()).toEqual([1]);
    expect(server.requests).toHaveLength(3);
  });

  it('retries 429 after Retry-After in seconds and as an HTTP date, ahead of a long backoff', async () => {
    const past = new Date(Date.now() - 60_000).toUTCString();
    server = await startServer((_req, n) =>
      n === 1 ? { status: 429, headers: { 'retry-after': '0' } } : n === 2 ? { status: 503, headers: { 'retry-after': past } } : { body: { done: 1 } },
    );
    // A 10-minute backoff would outlast the test: only Retry-After lets it finish.
    client = createApiClient(testTaskContext({}), { endpoint: server.url, retryBaseDelayMs: 600_000, maxRetryDelayMs: 600_000 });
    expect((await client.get('x')).json()).toEqual({ done: 1 });
    expect(server.requests).toHaveLength(3);
  });

  it('waits and retries a 403 that reports a spent rate limit (GitHub), but not a plain 403', async () => {
    server = await startServer((req, n) =>
      req.url === '/plain'
        ? { status: 403, body: { message: 'Resource not accessible' } }
        : n === 1
          ? { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) - 1) } }
          : { body: { ok: 1 } },
    );
    client = createApiClient(testTaskContext({}), { endpoint: server.url, retryBaseDelayMs: 600_000, maxRetryDelayMs: 600_000 });
    expect((await client.get('limited')).json()).toEqual({ ok: 1 });
    expect((await failure(client.get('plain'))).code).toBe('DEVLAKE_E_API_AUTH');
    expect(server.requests).toHaveLength(3);
  });

  it('retries network errors (connection reset)', async () => {
    server = await startServer((_req, n) => (n === 1 ? { destroy: true } : { body: 'true' }));
    client = createApiClient(testTaskContext({}), { endpoint: server.url, ...fast });
    expect((await client.get('x')).json()).toBe(true);
    expect(server.requests).toHaveLength(2);
  });

  it('does not retry 404 and names status, method and the redacted URL', async () => {
    server = await startServer(() => ({ status: 404, body: { message: 'Not Found' } }));
    client = createApiClient(testTaskContext({}), { endpoint: server.url, auth: { type: 'bearer', token: 'sekrit-token-1' }, ...fast });
    const err = await failure(client.get('repos/x', { query: { access_token: 'sekrit-token-1' } }));
    expect(err.code).toBe('DEVLAKE_E_API_NOT_FOUND');
    expect(err.data).toMatchObject({ status: 404, method: 'GET' });
    expect(err.message).toContain('GET');
    expect(err.message).toContain('404');
    expect(err.message).toContain('Not Found');
    expect(err.message).not.toContain('sekrit-token-1');
    expect(String(err.data.url)).toContain('access_token=***');
    expect(err.hint).toMatch(/ENDPOINT/);
    expect(server.requests).toHaveLength(1);
  });

  it('does not retry 401/403 or 422', async () => {
    server = await startServer((_req, n) => ({ status: n === 1 ? 401 : n === 2 ? 403 : 422, body: 'no' }));
    client = createApiClient(testTaskContext({ pluginName: 'gh' }), { endpoint: server.url, ...fast });
    expect((await failure(client.get('a'))).code).toBe('DEVLAKE_E_API_AUTH');
    const forbidden = await failure(client.get('b'));
    expect(forbidden.code).toBe('DEVLAKE_E_API_AUTH');
    expect(forbidden.hint).toContain('GH_TOKEN');
    expect((await failure(client.get('c'))).code).toBe('DEVLAKE_E_API_RESPONSE');
    expect(server.requests).toHaveLength(3);
  });

  it('gives up after <PLUGIN>_API_RETRY retries with the last failure as cause', async () => {
    server = await startServer(() => ({ status: 503, body: 'down' }));
    client = createApiClient(testTaskContext({ env: { TESTAPI_API_RETRY: '2' } }), { endpoint: server.url, ...fast });
    const err = await failure(client.get('x'));
    expect(err.code).toBe('DEVLAKE_E_API_RETRIES_EXHAUSTED');
    expect(err.data).toMatchObject({ attempts: 3, status: 503 });
    expect(hasErrorCode(err.cause, 'DEVLAKE_E_API_RESPONSE')).toBe(true);
    expect(server.requests).toHaveLength(3);
  });

  it('fails on a body that is not JSON, naming the URL and the start of the body', async () => {
    server = await startServer(() => ({ body: '<html><body>Proxy login required</body></html>', headers: { 'content-type': 'text/html' } }));
    client = createApiClient(testTaskContext({}), { endpoint: server.url });
    const res = await client.get('issues');
    const err = await failure(Promise.resolve().then(() => res.json()));
    expect(err.code).toBe('DEVLAKE_E_API_JSON');
    expect(err.message).toContain(`${server.url}issues`);
    expect(err.message).toContain('<html><body>Proxy login');
  });

  it('times out a request that never answers (per attempt, then retried)', async () => {
    server = await startServer(() => ({ hang: true }));
    client = createApiClient(testTaskContext({}), { endpoint: server.url, timeoutMs: 100, retry: 1, ...fast });
    const err = await failure(client.get('slow'));
    expect(err.code).toBe('DEVLAKE_E_API_RETRIES_EXHAUSTED');
    expect(hasErrorCode(err.cause, 'DEVLAKE_E_API_TIMEOUT')).toBe(true);
    expect(server.requests).toHaveLength(2);
  });

  it('stops with a cancelled error when the signal aborts mid-request', async () => {
    const ac = new AbortController();
    server = await startServer(() => {
      ac.abort();
      return { hang: true };
    });
    client = createApiClient(testTaskContext({ signal: ac.signal }), { endpoint: server.url, ...fast });
    const err = await failure(client.get('x'));
    expect(err.code).toBe('DEVLAKE_E_CANCELLED');
    expect(server.requests).toHaveLength(1);
  });

  it('waits for the rate-limit reset when the budget is spent instead of failing', async () => {
    const times: number[] = [];
    server = await startServer((_req, n) => {
      times.push(Date.now());
      return n === 1 ? { body: [], headers: { 'ratelimit-remaining': '0', 'ratelimit-reset': '0.3' } } : { body: [] };
    });
    client = createApiClient(testTaskContext({}), { endpoint: server.url });
    await client.get('a');
    await client.get('b');
    expect(server.requests).toHaveLength(2);
    // Correctness, not speed: the second request must not be sent before the announced reset.
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(250);
  });

  it('waits out a spent budget without using up retries, even with <PLUGIN>_API_RETRY=0', async () => {
    server = await startServer((req, n): Reply =>
      req.url === '/once'
        ? n === 1
          ? { status: 429, headers: { 'retry-after': '0.05' }, body: { message: 'slow down' } }
          : { body: { once: 1 } }
        : n <= 5
          ? { status: 429, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) - 1) } }
          : { body: { many: 1 } },
    );
    client = createApiClient(testTaskContext({ env: { TESTAPI_API_RETRY: '0' } }), { endpoint: server.url, ...fast });
    expect((await client.get('once')).json()).toEqual({ once: 1 });
    await client.close();
    // Three rate-limited answers in a row, one retry allowed: still no failure.
    client = createApiClient(testTaskContext({ env: { TESTAPI_API_RETRY: '1' } }), { endpoint: server.url, ...fast });
    expect((await client.get('many')).json()).toEqual({ many: 1 });
    expect(server.requests.map((r) => r.url)).toEqual(['/once', '/once', '/many', '/many', '/many', '/many']);
  });

  it('bounds the rate-limit waits of an API that always answers 429, then counts retries', async () => {
    server = await startServer(() => ({ status: 429, headers: { 'retry-after': '0' }, body: { message: 'slow down' } }));
    client = createApiClient(testTaskContext({ env: { TESTAPI_API_RETRY: '2' } }), { endpoint: server.url, ...fast });
    const err = await failure(client.get('x'));
    expect(err.code).toBe('DEVLAKE_E_API_RETRIES_EXHAUSTED');
    expect(err.data).toMatchObject({ attempts: MAX_RATE_LIMIT_WAITS + 3, status: 429 });
    expect(server.requests).toHaveLength(MAX_RATE_LIMIT_WAITS + 3);
  });

  it('calls beforeRequest on every attempt and lets afterResponse reject a response', async () => {
    server = await startServer((req) => (req.url === '/bad' ? { body: { error: 'in a 200' } } : { body: { ok: 1 } }));
    let n = 0;
    client = createApiClient(testTaskContext({}), {
      endpoint: server.url,
      beforeRequest: (req) => {
        req.headers['x-signature'] = `sig-${++n}`;
      },
      afterResponse: (res) => {
        if ((res.json() as { error?: string }).error) throw new DevlakeError('DEVLAKE_E_API_RESPONSE', 'API error in body');
      },
    });
    await client.get('good');
    expect(server.requests[0].headers['x-signature']).toBe('sig-1');
    expect((await failure(client.get('bad'))).message).toBe('API error in body');
  });

  it('goes through <PLUGIN>_PROXY', async () => {
    server = await startServer(() => ({ body: { via: 'proxy' } }));
    const tunnels: string[] = [];
    const proxy = http.createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
      tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = net.connect(Number(port), host, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      client = createApiClient(testTaskContext({ env: { TESTAPI_PROXY: proxyUrl } }), { endpoint: server.url });
      expect((await client.get('x')).json()).toEqual({ via: 'proxy' });
      expect(tunnels).toEqual([new URL(server.url).host]);
    } finally {
      await client?.close();
      client = undefined;
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });

  it('rejects bad configuration with DEVLAKE_E_API_CONFIG and a hint naming the variable', () => {
    const bad = (env: Record<string, string>): DevlakeError => {
      try {
        createApiClient(testTaskContext({ env }));
      } catch (err) {
        return err as DevlakeError;
      }
      throw new Error('expected a failure');
    };
    expect(bad({ TESTAPI_ENDPOINT: 'not a url' }).hint).toContain('TESTAPI_ENDPOINT');
    expect(bad({ TESTAPI_API_RETRY: '-1' }).code).toBe('DEVLAKE_E_API_CONFIG');
    expect(bad({ TESTAPI_API_REQUESTS_PER_HOUR: 'lots' }).hint).toContain('TESTAPI_API_REQUESTS_PER_HOUR');
    expect(bad({ TESTAPI_API_TIMEOUT: '10 parsecs' }).code).toBe('DEVLAKE_E_API_CONFIG');
  });
});
