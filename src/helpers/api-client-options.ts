import type { TaskContext } from '../core/context';
import { DevlakeError } from '../core/errors';
import { constantCase } from '../core/naming';
import type { ApiResponse } from './api-response';

/** How the client authenticates. */
export type ApiAuth =
  | { type: 'bearer'; token: string }
  | { type: 'basic'; username: string; password: string }
  | { type: 'header'; name: string; value: string };

/** A request about to be sent; `beforeRequest` may change its headers (e.g. to sign it). */
export interface ApiRequest {
  method: string;
  /** The full URL, query included. */
  url: URL;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** Options of `createApiClient`; each falls back to the environment, then to a default. */
export interface ApiClientOptions {
  /**
   * Base URL that relative paths resolve against. Default: `<PLUGIN>_ENDPOINT`. A query in it
   * (`https://api.example.com/v1/?api_key=…`) is sent with every request under the endpoint;
   * a secret-looking parameter (`api_key`, `token`, …) is masked in logs, errors and cassettes.
   */
  endpoint?: string;
  /**
   * Credentials. Default: bearer `<PLUGIN>_TOKEN` when set, else basic `<PLUGIN>_USERNAME` + `<PLUGIN>_PASSWORD`,
   * else the header `<PLUGIN>_AUTH_HEADER_NAME: <PLUGIN>_AUTH_HEADER_VALUE` (a saved connection sets these). Registered as secrets.
   */
  auth?: ApiAuth;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** Total time per attempt, in ms. Default: `<PLUGIN>_API_TIMEOUT` (`30s`, `2m`, `500ms` or seconds), else 120 s. */
  timeoutMs?: number;
  /** Time to establish a connection, in ms. Default 30 s. */
  connectTimeoutMs?: number;
  /** Retries after the first attempt. Default: `<PLUGIN>_API_RETRY`, else 3. */
  retry?: number;
  /** First backoff ceiling, in ms; doubles per retry (full jitter). Default 1000. */
  retryBaseDelayMs?: number;
  /** Longest wait between attempts (backoff, `Retry-After`, rate-limit reset), in ms. Default 1 h. */
  maxRetryDelayMs?: number;
  /**
   * Longest wait the API may announce (`Retry-After`, rate-limit reset) before the request fails
   * with `DEVLAKE_E_API_RATE_LIMITED` instead of waiting, in ms. Default: `<PLUGIN>_API_MAX_WAIT`
   * (`15m`, `2h`, or seconds), else 15 min.
   */
  maxWaitMs?: number;
  /** Budget shared by every client of this endpoint and credential (the lowest asked for applies). Default: `<PLUGIN>_API_REQUESTS_PER_HOUR`, else 18000. */
  requestsPerHour?: number;
  /** Requests in flight at once for this connection (the lowest asked for applies). Default 10. */
  concurrency?: number;
  /**
   * Shares the budget (`requestsPerHour`, and the pauses a `Retry-After` or a spent budget call for) with every
   * other process using this endpoint and credential, through Redis: `redis://host:port[?prefix=name]`.
   * Default: `DEVLAKE_RATE_LIMIT_REDIS`; `devlake worker` sets it to its queue, so tasks on workers share it.
   * Unset or `off`: the budget is shared within this process only. Only a hash of endpoint and credential goes to Redis.
   */
  rateLimitRedis?: string;
  /** Proxy URL. Default: `<PLUGIN>_PROXY`. Ignored when the run records or replays (the run's dispatcher is used). */
  proxy?: string;
  /** Override to change a request before it is sent (sign it, add headers). Called again on every retry. */
  beforeRequest?: (req: ApiRequest) => void | Promise<void>;
  /**
   * Override to inspect every successful (2xx/3xx) response; throw to fail the
   * request (e.g. an API that reports errors in a 200 body). Not called for
   * error statuses, which the client handles itself.
   */
  afterResponse?: (res: ApiResponse, req: ApiRequest) => void | Promise<void>;
}

/** Every setting resolved: what the client runs with. */
export interface ResolvedApiClientOptions {
  prefix: string;
  endpoint?: string;
  auth?: ApiAuth;
  headers: Record<string, string>;
  timeoutMs: number;
  connectTimeoutMs: number;
  retry: number;
  retryBaseDelayMs: number;
  maxRetryDelayMs: number;
  maxWaitMs: number;
  requestsPerHour: number;
  concurrency: number;
  rateLimitRedis?: string;
  proxy?: string;
  beforeRequest?: ApiClientOptions['beforeRequest'];
  afterResponse?: ApiClientOptions['afterResponse'];
}

/** The configuration key naming the Redis that shares request budgets between processes. */
export const RATE_LIMIT_REDIS_KEY = 'DEVLAKE_RATE_LIMIT_REDIS';

/** Defaults, in one place. */
export const API_CLIENT_DEFAULTS = {
  timeoutMs: 120_000, // 2 min per attempt, as DevLake's API_TIMEOUT
  connectTimeoutMs: 30_000, // 30 s
  retry: 3, // retries after the first attempt
  retryBaseDelayMs: 1_000, // 1 s, doubled per retry
  maxRetryDelayMs: 3_600_000, // 1 h: GitHub's longest reset window
  maxWaitMs: 900_000, // 15 min: a longer announced wait fails the subtask (run again later)
  requestsPerHour: 18_000, // 5 per second, DevLake's default
  concurrency: 10, // requests in flight per connection
} as const;

/** Merges explicit options, `<PLUGIN>_*` configuration and defaults; bad values fail with `DEVLAKE_E_API_CONFIG`. */
export function resolveApiClientOptions(taskCtx: Pick<TaskContext, 'pluginName' | 'getConfig'>, opts: ApiClientOptions): ResolvedApiClientOptions {
  const prefix = constantCase(taskCtx.pluginName);
  const env = (name: string): string | undefined => taskCtx.getConfig(`${prefix}_${name}`);
  const endpoint = opts.endpoint ?? env('ENDPOINT');
  if (endpoint !== undefined) checkUrl(endpoint, `${prefix}_ENDPOINT`);
  const proxy = opts.proxy ?? env('PROXY');
  if (proxy !== undefined) checkUrl(proxy, `${prefix}_PROXY`);
  const shared = opts.rateLimitRedis ?? taskCtx.getConfig(RATE_LIMIT_REDIS_KEY);
  const rateLimitRedis = shared === 'off' ? undefined : shared;
  if (rateLimitRedis !== undefined) checkUrl(rateLimitRedis, RATE_LIMIT_REDIS_KEY, /^rediss?:$/, 'redis://127.0.0.1:6379');
  return {
    prefix,
    endpoint,
    auth: opts.auth ?? authFromConfig(env),
    headers: { ...opts.headers },
    timeoutMs: opts.timeoutMs ?? parseDuration(env('API_TIMEOUT'), `${prefix}_API_TIMEOUT`) ?? API_CLIENT_DEFAULTS.timeoutMs,
    connectTimeoutMs: opts.connectTimeoutMs ?? API_CLIENT_DEFAULTS.connectTimeoutMs,
    retry: opts.retry ?? parseCount(env('API_RETRY'), `${prefix}_API_RETRY`, 0) ?? API_CLIENT_DEFAULTS.retry,
    retryBaseDelayMs: opts.retryBaseDelayMs ?? API_CLIENT_DEFAULTS.retryBaseDelayMs,
    maxRetryDelayMs: opts.maxRetryDelayMs ?? API_CLIENT_DEFAULTS.maxRetryDelayMs,
    maxWaitMs: opts.maxWaitMs ?? parseDuration(env('API_MAX_WAIT'), `${prefix}_API_MAX_WAIT`) ?? API_CLIENT_DEFAULTS.maxWaitMs,
    requestsPerHour:
      opts.requestsPerHour ?? parseCount(env('API_REQUESTS_PER_HOUR'), `${prefix}_API_REQUESTS_PER_HOUR`, 1) ?? API_CLIENT_DEFAULTS.requestsPerHour,
    concurrency: opts.concurrency ?? API_CLIENT_DEFAULTS.concurrency,
    rateLimitRedis,
    proxy,
    beforeRequest: opts.beforeRequest,
    afterResponse: opts.afterResponse,
  };
}

/** The credentials `<PLUGIN>_*` configuration names, if any: a token first, then basic, then a custom header. */
function authFromConfig(env: (name: string) => string | undefined): ApiAuth | undefined {
  const token = env('TOKEN');
  if (token) return { type: 'bearer', token };
  const username = env('USERNAME');
  const password = env('PASSWORD');
  if (username && password) return { type: 'basic', username, password };
  const name = env('AUTH_HEADER_NAME');
  const value = env('AUTH_HEADER_VALUE');
  if (name && value) return { type: 'header', name, value };
  return undefined;
}

function checkUrl(value: string, name: string, protocol = /^https?:$/, example = 'https://api.example.com/'): void {
  let ok = false;
  try {
    ok = protocol.test(new URL(value).protocol);
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new DevlakeError('DEVLAKE_E_API_CONFIG', `${name} is not ${example.startsWith('redis') ? 'a redis://' : 'an http(s)'} URL`, {
      hint: `Set ${name} to a URL such as ${example}`,
      data: { name },
    });
  }
}

/** An integer ≥ `min`, or undefined when unset. */
function parseCount(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value.trim());
  if (!Number.isInteger(n) || n < min) {
    throw new DevlakeError('DEVLAKE_E_API_CONFIG', `${name}="${value}" is not an integer ≥ ${min}`, {
      hint: `Set ${name} to a whole number, e.g. ${min === 0 ? 3 : 5000}.`,
      data: { name },
    });
  }
  return n;
}

/** `500ms`, `30s`, `2m`, `1h` or plain seconds → ms; undefined when unset. */
export function parseDuration(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(value);
  if (!m || Number(m[1]) <= 0) {
    throw new DevlakeError('DEVLAKE_E_API_CONFIG', `${name}="${value}" is not a duration`, {
      hint: `Set ${name} to e.g. 30s, 2m or 500ms (a plain number means seconds).`,
      data: { name },
    });
  }
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(m[1]) * unit);
}
