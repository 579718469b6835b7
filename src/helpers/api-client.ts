import type { Dispatcher } from 'undici';
import { Agent, ProxyAgent } from './undici-classes';
import type { TaskContext } from '../core/context';
import type { Logger } from '../core/logger';
import { cancelledError, DevlakeError, isDevlakeError, type ErrorCode } from '../core/errors';
import { isSecretQueryParam, redact, registerSecret } from '../core/redact';
import {
  resolveApiClientOptions,
  type ApiClientOptions,
  type ApiRequest,
  type ResolvedApiClientOptions,
} from './api-client-options';
import { bodyExcerpt, flattenHeaders, makeApiResponse, type ApiResponse } from './api-response';
import { decodeContentEncoding } from './content-encoding';
import { backoffDelay, isRetryableNetworkError, isRetryableStatus, parseRetryAfter, rateLimitWait, sleep } from './api-retry';
import { httpExchange } from './http-exchange';
import { linkSignals } from './linked-signal';
import { acquireRateLimiter, rateLimiterKey, type RateLimiter } from './rate-limiter';
import { acquireSharedRateLimiter } from './shared-rate-limiter';

export type { ApiAuth, ApiClientOptions, ApiRequest } from './api-client-options';
export type { ApiResponse } from './api-response';

/** ApiQuery values; arrays repeat the key, null/undefined are left out. */
export type ApiQueryValue = string | number | boolean | null | undefined | ReadonlyArray<string | number | boolean>;
export type ApiQuery = Record<string, ApiQueryValue>;

/** One request. */
export interface ApiRequestOptions {
  /** Default `GET`. */
  method?: string;
  /** Relative to the endpoint (`repos/a/b/issues`), or an absolute URL (e.g. a `Link` header's next page). */
  path: string;
  query?: ApiQuery;
  headers?: Record<string, string>;
  /** A string or Buffer is sent as is; anything else is sent as JSON. */
  body?: unknown;
  /** Aborts the request (and its retries); the run's signal is always honoured too. */
  signal?: AbortSignal;
}

/** An HTTP client for one API connection: auth, retries, rate limit. */
export interface ApiClient {
  /** The endpoint relative paths resolve against, if any. */
  readonly endpoint?: string;
  /** GET `path`. Resolves for 2xx/3xx; fails with a DevlakeError otherwise (see `request`). */
  get(path: string, options?: Omit<ApiRequestOptions, 'path' | 'method' | 'body'>): Promise<ApiResponse>;
  /**
   * Sends a request within the connection's rate limit. Network errors,
   * timeouts, 5xx and 429 are retried with backoff (honouring `Retry-After`);
   * a 429 (or GitHub's rate-limited 403) that says when to come back is
   * waited for without using up a retry (up to `MAX_RATE_LIMIT_WAITS` times);
   * 401/403 fail with `DEVLAKE_E_API_AUTH`, 404 with `DEVLAKE_E_API_NOT_FOUND`,
   * other 4xx with `DEVLAKE_E_API_RESPONSE`; exhausted retries with
   * `DEVLAKE_E_API_RETRIES_EXHAUSTED`; an abort with `DEVLAKE_E_CANCELLED`.
   */
  request(options: ApiRequestOptions): Promise<ApiResponse>;
  /** Releases the connection pool and the rate limiter reference. */
  close(): Promise<void>;
}

/**
 * Creates the client of a connection. Settings come from `opts`, then from
 * `<PLUGIN>_ENDPOINT`, `<PLUGIN>_TOKEN`, `<PLUGIN>_PROXY`,
 * `<PLUGIN>_API_REQUESTS_PER_HOUR`, `<PLUGIN>_API_RETRY`, `<PLUGIN>_API_TIMEOUT`.
 * When the run records or replays, its dispatcher carries every request.
 */
export function createApiClient(taskCtx: TaskContext<unknown>, opts: ApiClientOptions = {}): ApiClient {
  return new HttpApiClient(taskCtx, resolveApiClientOptions(taskCtx, opts));
}

class HttpApiClient implements ApiClient {
  readonly endpoint?: string;
  readonly #opts: ResolvedApiClientOptions;
  readonly #runSignal: AbortSignal;
  readonly #dispatcher: Dispatcher;
  readonly #ownDispatcher: boolean;
  readonly #limiter: RateLimiter;
  readonly #authHeaders: Record<string, string>;
  /** The endpoint without its query: relative paths resolve against it. */
  readonly #base?: URL;
  /** The endpoint's own query (`…/api/?api_key=…`), sent with every request to the endpoint. */
  readonly #endpointQuery: ReadonlyArray<[string, string]>;
  readonly #logger: Logger;
  readonly #onWait?: (note: string) => void;
  /** Set when the API announced a spent budget that resets later than `maxWaitMs`: the next request fails. */
  #spent?: { until: number; cause: string };

  constructor(taskCtx: TaskContext<unknown>, opts: ResolvedApiClientOptions) {
    this.#opts = opts;
    this.endpoint = opts.endpoint;
    if (opts.endpoint) {
      const base = new URL(opts.endpoint);
      this.#endpointQuery = [...base.searchParams];
      base.search = '';
      base.hash = '';
      if (!base.pathname.endsWith('/')) base.pathname = `${base.pathname}/`;
      this.#base = base;
      // A key in the endpoint's query is a credential: masked wherever the URL is printed or stored.
      for (const [k, v] of this.#endpointQuery) if (isSecretQueryParam(k)) registerSecret(v);
    } else this.#endpointQuery = [];
    this.#runSignal = taskCtx.signal;
    this.#logger = taskCtx.logger;
    this.#onWait = taskCtx.http?.onWait;
    this.#authHeaders = authHeaders(opts);
    const shared = taskCtx.http?.dispatcher;
    this.#ownDispatcher = !shared;
    this.#dispatcher = shared ?? networkDispatcher(opts);
    const key = rateLimiterKey(opts.endpoint, credentialOf(opts));
    const budget = { requestsPerHour: opts.requestsPerHour, concurrency: opts.concurrency };
    this.#limiter = opts.rateLimitRedis ? acquireSharedRateLimiter(opts.rateLimitRedis, key, budget, taskCtx.logger) : acquireRateLimiter(key, budget);
  }

  get(path: string, options: Omit<ApiRequestOptions, 'path' | 'method' | 'body'> = {}): Promise<ApiResponse> {
    return this.request({ ...options, path, method: 'GET' });
  }

  async request(options: ApiRequestOptions): Promise<ApiResponse> {
    // The run's own signal needs no link (the collector passes its workers' signal, usually a different one).
    const linked = options.signal && options.signal !== this.#runSignal ? linkSignals([options.signal, this.#runSignal]) : undefined;
    try {
      return await this.#send(options, linked?.signal ?? this.#runSignal);
    } finally {
      linked?.dispose();
    }
  }

  async #send(options: ApiRequestOptions, signal: AbortSignal): Promise<ApiResponse> {
    const method = (options.method ?? 'GET').toUpperCase();
    const url = this.#url(options.path, options.query);
    const body = encodeBody(options.body);
    const headers = { ...options.headers };
    if (isJsonBody(options.body) && !hasHeader(headers, 'content-type')) headers['content-type'] = 'application/json';
    let lastError: DevlakeError | undefined;
    let attempts = 0;
    let retries = 0;
    let budgetWaits = 0;
    for (;;) {
      if (signal.aborted) throw cancelled(signal);
      if (this.#spent && Date.now() < this.#spent.until) throw this.#rateLimited(method, url, this.#spent.until - Date.now(), this.#spent.cause);
      const outcome = await this.#limiter.schedule(() => this.#attempt(method, url, headers, body, signal), signal);
      attempts++;
      if (outcome.kind === 'ok') return outcome.response;
      lastError = outcome.error;
      let wait: number;
      if (outcome.retry && outcome.budgetWait && budgetWaits < MAX_RATE_LIMIT_WAITS) {
        // The API said when to come back (429/403 with Retry-After or a spent budget): wait, without using up a retry.
        budgetWaits++;
        wait = outcome.waitMs ?? 0;
      } else {
        if (!outcome.retry || this.#opts.retry === 0) throw outcome.error;
        if (retries === this.#opts.retry) break;
        wait = outcome.waitMs ?? backoffDelay(retries, this.#opts.retryBaseDelayMs, this.#opts.maxRetryDelayMs);
        retries++;
      }
      // A wait the API announced (Retry-After, rate-limit reset) longer than the maximum fails now, not after an hour.
      if (outcome.waitMs !== undefined && outcome.waitMs > this.#opts.maxWaitMs) throw this.#rateLimited(method, url, outcome.waitMs, outcome.waitCause ?? 'Retry-After');
      wait = Math.min(this.#opts.maxRetryDelayMs, wait);
      this.#reportRetry(method, url, outcome.error, wait, attempts, outcome.waitCause);
      await sleep(wait, signal).catch(() => {
        throw cancelled(signal);
      });
    }
    const safeUrl = redact(url.toString());
    throw new DevlakeError('DEVLAKE_E_API_RETRIES_EXHAUSTED', `${method} ${safeUrl} failed after ${attempts} attempts: ${lastError?.message}`, {
      cause: lastError,
      hint: `Try again later, or raise ${this.#opts.prefix}_API_RETRY.`,
      data: { method, url: safeUrl, attempts, status: lastError?.data.status },
    });
  }

  /** One `warn` line per retry; a rate-limit wait over a second also gets an `info` line with its cause, and the progress line shows it. */
  #reportRetry(method: string, url: URL, error: DevlakeError, waitMs: number, attempts: number, cause: string | undefined): void {
    const safeUrl = redact(url.toString());
    const why = typeof error.data.status === 'number' ? `answered ${error.data.status}` : `failed (${String(error.data.code ?? error.code)})`;
    // Rate-limit waits do not use up a retry: the count is of attempts so far, the maximum of retries + 1.
    this.#logger.warn(`${method} ${safeUrl} ${why}; retrying in ${formatWait(waitMs)} (attempt ${attempts + 1}/${this.#opts.retry + 1}${cause ? `, ${cause}` : ''})`);
    if (waitMs > 1000) {
      const until = `${formatWait(waitMs)}, until ${utcTime(Date.now() + waitMs)}`;
      if (cause) this.#logger.info(`rate limited: ${cause} → waiting ${until} (${method} ${safeUrl})`);
      this.#onWait?.(`waiting ${until}${cause ? ` (${cause})` : ''}`);
    }
  }

  #rateLimited(method: string, url: URL, waitMs: number, cause: string): DevlakeError {
    const safeUrl = redact(url.toString());
    const max = this.#opts.maxWaitMs;
    return new DevlakeError(
      'DEVLAKE_E_API_RATE_LIMITED',
      `${method} ${safeUrl}: the API asks to wait ${formatWait(waitMs)} (${cause}), more than ${this.#opts.prefix}_API_MAX_WAIT (${formatWait(max)})`,
      {
        hint: `Run again after ${utcTime(Date.now() + waitMs)} (completed pages are kept), or raise ${this.#opts.prefix}_API_MAX_WAIT (e.g. 2h).`,
        data: { method, url: safeUrl, waitMs },
      },
    );
  }

  async close(): Promise<void> {
    await this.#limiter.release();
    if (this.#ownDispatcher) await this.#dispatcher.close();
  }

  /** One attempt: never throws for HTTP or network failures, says whether to retry instead. */
  async #attempt(method: string, url: URL, extra: Record<string, string> | undefined, body: string | Buffer | undefined, signal: AbortSignal): Promise<Outcome> {
    const req: ApiRequest = {
      method,
      url: new URL(url),
      headers: { ...this.#opts.headers, ...this.#authHeaders, ...extra },
      body,
    };
    await this.#opts.beforeRequest?.(req);
    const attempt = linkSignals([signal], this.#opts.timeoutMs);
    let res: ApiResponse;
    try {
      const r = await httpExchange(this.#dispatcher, req, attempt.signal);
      const headers = flattenHeaders(r.headers);
      const raw = r.body;
      const buf = headers['content-encoding'] ? decodeContentEncoding(raw, headers['content-encoding'], `${method} ${redact(req.url.toString())}`) : raw;
      res = makeApiResponse(r.status, headers, req.url.toString(), buf, method);
    } catch (err) {
      attempt.dispose();
      if (signal.aborted) throw cancelled(signal);
      // Redacted only when an error needs it: redaction scans every registered secret.
      const safeUrl = redact(req.url.toString());
      // Replay misses and other toolkit errors are final as they are.
      if (isDevlakeError(err)) return { kind: 'error', retry: false, error: err };
      if (attempt.timedOut()) {
        return {
          kind: 'error',
          retry: true,
          error: new DevlakeError('DEVLAKE_E_API_TIMEOUT', `${method} ${safeUrl} timed out after ${this.#opts.timeoutMs} ms`, {
            cause: err,
            hint: `Raise ${this.#opts.prefix}_API_TIMEOUT or check the network.`,
            data: { method, url: safeUrl },
          }),
        };
      }
      return {
        kind: 'error',
        retry: isRetryableNetworkError(err),
        error: new DevlakeError('DEVLAKE_E_API_NETWORK', `${method} ${safeUrl} failed: ${redact(String((err as Error).message ?? err))}`, {
          cause: err,
          hint: `Check ${this.#opts.prefix}_ENDPOINT${this.#opts.proxy ? ` and ${this.#opts.prefix}_PROXY` : ''} and the network.`,
          data: { method, url: safeUrl, code: (err as { code?: string }).code },
        }),
      };
    }
    attempt.dispose();
    // The budget is spent: hold every request of this connection until the reset, successful or not.
    const budgetWait = rateLimitWait(res.headers);
    const budgetCause = budgetWait === undefined ? undefined : `X-RateLimit-Remaining: 0, budget resets in ${formatWait(budgetWait)}`;
    if (budgetWait !== undefined) this.#holdForBudget(budgetWait, budgetCause!);
    if (res.status < 400) {
      await this.#opts.afterResponse?.(res, req);
      return { kind: 'ok', response: res };
    }
    const error = this.#statusError(method, redact(req.url.toString()), res);
    const retryAfter = parseRetryAfter(res.headers['retry-after']);
    // GitHub answers a spent rate limit with 403 (and Retry-After or X-RateLimit-Remaining: 0): wait, do not fail.
    const rateLimited = res.status === 403 && (retryAfter !== undefined || budgetWait !== undefined);
    if (!isRetryableStatus(res.status) && !rateLimited) return { kind: 'error', retry: false, error };
    const waitMs = retryAfter ?? (res.status === 429 || rateLimited ? budgetWait : undefined);
    // Retry-After on a 429 (or a rate-limited 403) speaks for the connection: every request of it waits, in every process sharing it.
    if (retryAfter !== undefined && (res.status === 429 || rateLimited) && retryAfter <= this.#opts.maxWaitMs) {
      this.#limiter.pauseFor(Math.min(retryAfter, this.#opts.maxRetryDelayMs));
    }
    const waitCause = retryAfter !== undefined ? `Retry-After: ${res.headers['retry-after']}` : waitMs !== undefined ? budgetCause : undefined;
    return { kind: 'error', retry: true, error, waitMs, waitCause, budgetWait: (res.status === 429 || rateLimited) && waitMs !== undefined };
  }

  /** The API says its budget is spent: hold every request of the connection until the reset, or fail the next one when that is too far. */
  #holdForBudget(waitMs: number, cause: string): void {
    if (waitMs > this.#opts.maxWaitMs) {
      this.#spent = { until: Date.now() + waitMs, cause };
      return;
    }
    this.#limiter.pauseFor(Math.min(waitMs, this.#opts.maxRetryDelayMs));
    if (waitMs > 1000) {
      const until = `${formatWait(waitMs)}, until ${utcTime(Date.now() + waitMs)}`;
      this.#logger.info(`request budget of ${this.#base?.host ?? 'the API'} spent (${cause}) → holding its requests ${until}`);
      this.#onWait?.(`waiting ${until} (request budget spent)`);
    }
  }

  #statusError(method: string, safeUrl: string, res: ApiResponse): DevlakeError {
    const code: ErrorCode =
      res.status === 401 || res.status === 403 ? 'DEVLAKE_E_API_AUTH' : res.status === 404 ? 'DEVLAKE_E_API_NOT_FOUND' : 'DEVLAKE_E_API_RESPONSE';
    const hint =
      code === 'DEVLAKE_E_API_AUTH'
        ? `Set a valid token in ${this.#opts.prefix}_TOKEN (and check its scopes).`
        : code === 'DEVLAKE_E_API_NOT_FOUND'
          ? `Check ${this.#opts.prefix}_ENDPOINT and the scope options (names, ids).`
          : 'Check the URL and parameters in the message.';
    const excerpt = bodyExcerpt(res.body);
    return new DevlakeError(code, `${method} ${safeUrl} answered ${res.status}${excerpt ? `: ${excerpt}` : ''}`, {
      hint,
      data: { status: res.status, method, url: safeUrl },
    });
  }

  #url(path: string, query: ApiQuery | undefined): URL {
    let url: URL;
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
      url = new URL(path);
    } else {
      if (!this.#base) {
        throw new DevlakeError('DEVLAKE_E_API_CONFIG', `No endpoint to resolve "${path}" against`, {
          hint: `Set ${this.#opts.prefix}_ENDPOINT, or pass an absolute URL.`,
        });
      }
      url = new URL(path.replace(/^\/+/, ''), this.#base);
    }
    // The endpoint's query goes with every request under the endpoint (a `Link` next page included),
    // unless the request sets that parameter itself.
    if (this.#base && this.#endpointQuery.length > 0 && url.origin === this.#base.origin && url.pathname.startsWith(this.#base.pathname)) {
      for (const [k, v] of this.#endpointQuery) if (!url.searchParams.has(k)) url.searchParams.append(k, v);
    }
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined || v === null) continue;
      if (Array.isArray(v)) for (const item of v) url.searchParams.append(k, String(item));
      else url.searchParams.set(k, String(v));
    }
    return url;
  }
}

/** `budgetWait`: the API announced when its rate limit lets us back in (waited for without using a retry). */
type Outcome =
  | { kind: 'ok'; response: ApiResponse }
  | { kind: 'error'; retry: boolean; error: DevlakeError; waitMs?: number; waitCause?: string; budgetWait?: boolean };

/** `350 ms`, `4.2 s`, `42 min`, `1 h 5 min`. */
export function formatWait(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const min = Math.round(ms / 60_000);
  return min < 60 ? `${min} min` : `${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ''}`;
}

/** `08:15:02 UTC` */
function utcTime(at: number): string {
  return `${new Date(at).toISOString().slice(11, 19)} UTC`;
}

/**
 * Rate-limit waits per request that do not count as retries: enough for an
 * API that answers a few 429s in a row, bounded so that one that always does
 * still ends (then the waits count against `<PLUGIN>_API_RETRY`).
 */
export const MAX_RATE_LIMIT_WAITS = 10;

function networkDispatcher(opts: ResolvedApiClientOptions): Dispatcher {
  const common = {
    connect: { timeout: opts.connectTimeoutMs },
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
    keepAliveTimeout: 30_000, // ms an idle socket stays in the pool
    // The limiter never has more requests in flight: more sockets would only be opened and left idle.
    connections: opts.concurrency,
  };
  return opts.proxy ? new ProxyAgent({ uri: opts.proxy, ...common }) : new Agent(common);
}

function authHeaders(opts: ResolvedApiClientOptions): Record<string, string> {
  const auth = opts.auth;
  if (!auth) return {};
  switch (auth.type) {
    case 'bearer':
      registerSecret(auth.token);
      return { authorization: `Bearer ${auth.token}` };
    case 'basic': {
      registerSecret(auth.password);
      const encoded = Buffer.from(`${auth.username}:${auth.password}`).toString('base64');
      registerSecret(encoded);
      return { authorization: `Basic ${encoded}` };
    }
    case 'header':
      registerSecret(auth.value);
      return { [auth.name]: auth.value };
  }
}

function credentialOf(opts: ResolvedApiClientOptions): string | undefined {
  const auth = opts.auth;
  if (!auth) return undefined;
  return auth.type === 'bearer' ? auth.token : auth.type === 'basic' ? `${auth.username}:${auth.password}` : `${auth.name}:${auth.value}`;
}

function encodeBody(body: unknown): string | Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || Buffer.isBuffer(body)) return body;
  return JSON.stringify(body);
}

function isJsonBody(body: unknown): boolean {
  return body !== undefined && body !== null && typeof body !== 'string' && !Buffer.isBuffer(body);
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((k) => k.toLowerCase() === name);
}

function cancelled(signal: AbortSignal): DevlakeError {
  return isDevlakeError(signal.reason) ? signal.reason : cancelledError();
}
