import { DevlakeError } from '../core/errors';
import { redact } from '../core/redact';
import { terminalSafe } from '../core/terminal-text';

/** A completed HTTP response, body read whole. */
export interface ApiResponse {
  /** HTTP status code. */
  readonly status: number;
  /** Response headers, names in lower case; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  /** The URL requested (with the real query; redact before printing). */
  readonly url: string;
  /** The raw body. */
  readonly body: Buffer;
  /** The body as UTF-8 text. */
  text(): string;
  /** The body parsed as JSON; a body that is not JSON fails with `DEVLAKE_E_API_JSON` naming the URL and the start of the body. */
  json<T = unknown>(): T;
}

/** Characters of a body quoted in error messages. */
export const BODY_EXCERPT_CHARS = 100;

/** The first characters of a body, redacted and without control characters (see terminalSafe), for an error message. */
export function bodyExcerpt(body: Buffer | string, max = BODY_EXCERPT_CHARS): string {
  const text = typeof body === 'string' ? body : body.subarray(0, max * 4).toString('utf8');
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return redact(terminalSafe(cut.replace(/\s+/g, ' ').trim()));
}

/**
 * Deepest JSON nesting a response may have. SQLite's JSON functions refuse
 * deeper documents, Postgres and `JSON.stringify` run out of stack a little
 * further: a deeper page would fail later with a message that names neither
 * the URL nor the cause, so it is refused when parsed.
 */
export const MAX_JSON_DEPTH = 1000;

/**
 * True when `value` nests objects/arrays deeper than `limit`. Recursive but
 * bounded: it stops at `limit + 1` levels, so the stack never holds more
 * frames than that, whatever the document's depth. No arrays are built on the
 * way (`for…in`, indexed loops): the walk runs on every page parsed and was a
 * fifth of `JSON.parse`'s time with an explicit stack and `Object.values`.
 */
export function jsonDeeperThan(value: unknown, limit: number): boolean {
  return typeof value === 'object' && value !== null && deeperThan(value, 1, limit);
}

function deeperThan(value: object, depth: number, limit: number): boolean {
  if (depth > limit) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const c: unknown = value[i];
      if (typeof c === 'object' && c !== null && deeperThan(c, depth + 1, limit)) return true;
    }
    return false;
  }
  for (const k in value) {
    const c: unknown = (value as Record<string, unknown>)[k];
    if (typeof c === 'object' && c !== null && deeperThan(c, depth + 1, limit)) return true;
  }
  return false;
}

/**
 * Builds an ApiResponse; `text()` decodes once and `json()` parses once, each
 * cached: a collector reads both of every page (the records, and the text it
 * stores), and decoding a page twice was a tenth of its event-loop time.
 */
export function makeApiResponse(status: number, headers: Record<string, string>, url: string, body: Buffer, method = 'GET'): ApiResponse {
  let parsed: { value: unknown } | undefined;
  let decoded: string | undefined;
  const text = (): string => (decoded ??= body.toString('utf8'));
  return {
    status,
    headers,
    url,
    body,
    text,
    json<T>(): T {
      if (!parsed) {
        let value: unknown;
        try {
          value = JSON.parse(text());
        } catch (err) {
          const safeUrl = redact(url);
          throw new DevlakeError('DEVLAKE_E_API_JSON', `${method} ${safeUrl} did not return JSON: "${bodyExcerpt(body)}"`, {
            cause: err,
            hint: 'Check the endpoint (<PLUGIN>_ENDPOINT): it may point at an HTML page or a proxy error page.',
            data: { status, method, url: safeUrl },
          });
        }
        if (jsonDeeperThan(value, MAX_JSON_DEPTH)) {
          const safeUrl = redact(url);
          throw new DevlakeError('DEVLAKE_E_API_JSON', `${method} ${safeUrl} returned JSON nested deeper than ${MAX_JSON_DEPTH} levels: "${bodyExcerpt(body)}"`, {
            hint: 'Check the endpoint (<PLUGIN>_ENDPOINT): no API page nests that deep; it may be a broken or hostile server.',
            data: { status, method, url: safeUrl },
          });
        }
        parsed = { value };
      }
      return parsed.value as T;
    },
  };
}

/** Lower-cased, flattened header map from undici's `IncomingHttpHeaders`. */
export function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}
