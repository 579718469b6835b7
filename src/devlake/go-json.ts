import { scanString, scanValue, skipWs } from '../core/json-scan';

/**
 * What Go's encoding/json gives DevLake's extractors, reproduced on raw JSON text:
 * `json.RawMessage` fields keep the value's exact bytes (bodies are stored
 * JSON-encoded, quotes and escapes included), and keys match field names
 * case-insensitively.
 */

/**
 * The exact text of the value of top-level `key` in the JSON object `json`
 * (Go `json.RawMessage`), or '' when the key is absent. An exact key match wins
 * over a case-insensitive one, like Go; among equal matches the last wins.
 */
export function rawJsonField(json: string, key: string): string {
  let i = skipWs(json, 0);
  if (json[i] !== '{') return '';
  i++;
  let exact: string | undefined;
  let folded: string | undefined;
  const lower = key.toLowerCase();
  for (;;) {
    i = skipWs(json, i);
    if (json[i] === '}' || i >= json.length) break;
    const keyEnd = scanString(json, i);
    const name = JSON.parse(json.slice(i, keyEnd)) as string;
    i = skipWs(json, keyEnd);
    i = skipWs(json, i + 1); // ':'
    const valueEnd = scanValue(json, i);
    const value = json.slice(i, valueEnd);
    if (name === key) exact = value;
    else if (name.toLowerCase() === lower) folded = value;
    i = skipWs(json, valueEnd);
    if (json[i] === ',') i++;
    else break;
  }
  return exact ?? folded ?? '';
}

/** Case-insensitive property read, like Go's field matching (exact key first). */
export function field<T = unknown>(obj: unknown, key: string): T | undefined {
  if (obj === null || typeof obj !== 'object') return undefined;
  const o = obj as Record<string, unknown>;
  if (key in o) return o[key] as T;
  const lower = key.toLowerCase();
  let found: unknown;
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) found = o[k];
  return found as T | undefined;
}

/** Go's zero value for an int field: a JSON number, else 0. */
export function int(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0;
}

/** Go's zero value for a string field. */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/**
 * A timestamp field (`Iso8601Time` / `time.Time`): a Date, or null when the
 * JSON value is absent, null or empty (DevLake stores NULL for nil pointers).
 */
export function time(v: unknown): Date | null {
  return iso8601Time(v);
}

/**
 * DevLake's `common.Iso8601Time` unmarshalling: RFC 3339, `-0700` offsets
 * without a colon, a zone-less time read as UTC, or null for an absent, null,
 * empty or unparsable value.
 */
export function iso8601Time(v: unknown): Date | null {
  if (typeof v !== 'string') return null;
  let s = v.trim();
  if (s === '' || s === 'null') return null;
  // `+0800` → `+08:00`: JS parses only the colon form.
  s = s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s)) s = `${s.replace(' ', 'T')}Z`;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d;
}
