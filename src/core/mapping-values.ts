import type { MappingConversion, PathStep } from './extract-mapping';
import { scanString, scanValue, skipWs } from './json-scan';

/**
 * The conversions of a declarative extractor (extract-mapping.ts) in
 * JavaScript: the reference every database's compiled SQL matches. SQLite
 * calls {@link devlakeTimeIso} itself (a registered function), so its `time`
 * is this code.
 */

/** DevLake's timestamp grammar; no zone means UTC. Ranges are checked here, days per month in code. */
const TIME = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?:[T ]([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.(\d+))?)?(Z|([+-])([01]\d|2[0-3])(?::?([0-5]\d))?)?)?$/;

/** The same grammar as a POSIX regular expression (Postgres `~`), kept beside the JS one. */
export const TIME_PATTERN_POSIX =
  '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]+)?)?(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)?)?$';

/** A DevLake timestamp string as a Date (millisecond precision, fraction truncated), or null when it is not one. */
export function devlakeTime(v: unknown): Date | null {
  if (typeof v !== 'string') return null;
  const m = TIME.exec(v);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (d > daysInMonth(y, mo)) return null;
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), ms);
  if (m[8] && m[8] !== 'Z') {
    const offset = (Number(m[10]) * 60 + Number(m[11] ?? 0)) * 60_000;
    date.setTime(date.getTime() - (m[9] === '-' ? -offset : offset));
  }
  return date;
}

/** {@link devlakeTime} as ISO text (`2023-01-01T00:00:00.000Z`), as SQLite stores a Date; null when not a timestamp. */
export function devlakeTimeIso(v: unknown): string | null {
  const d = devlakeTime(v);
  return d ? d.toISOString() : null;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return 30 + ((m + Math.floor(m / 8)) % 2);
}

/** The value at `steps` in a parsed record; undefined when a step is missing or of the wrong kind. */
export function valueAt(record: unknown, steps: readonly PathStep[]): unknown {
  let v = record;
  for (const s of steps) {
    if (typeof s === 'number') {
      if (!Array.isArray(v)) return undefined;
      v = v[s];
    } else {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
      v = Object.prototype.hasOwnProperty.call(v, s) ? (v as Record<string, unknown>)[s] : undefined;
    }
  }
  return v;
}

/**
 * One JSON rule on the value at its path. `exact()` gives the value's JSON
 * text from the raw record, read only for `json` and for integers beyond 2^53
 * (which JSON.parse rounds).
 */
export function convertValue(as: MappingConversion, v: unknown, exact: () => string | undefined): unknown {
  if (v === undefined || v === null) return null;
  switch (as) {
    case 'asIs':
      if (typeof v === 'number') return exactInteger(v, exact);
      return typeof v === 'string' || typeof v === 'boolean' ? v : (exact() ?? null);
    case 'int':
    case 'bigint':
      return typeof v === 'number' ? exactInteger(Math.trunc(v), exact) : null;
    case 'float':
      return typeof v === 'number' ? v : null;
    case 'bool':
      return typeof v === 'boolean' ? v : null;
    case 'time':
      return devlakeTime(v);
    case 'json':
      return exact() ?? null;
  }
}

/** An integer beyond 2^53 as the exact BigInt of its JSON text (when the text is an integer literal). */
function exactInteger(v: number, exact: () => string | undefined): number | bigint {
  if (Number.isSafeInteger(v) || !Number.isInteger(v)) return v;
  const text = exact();
  if (text !== undefined && /^-?\d+$/.test(text)) return BigInt(text);
  const decimal = text !== undefined ? /^(-?\d+)\.\d*$/.exec(text) : null;
  return decimal ? BigInt(decimal[1]!) : v;
}

/** The exact JSON text of the value at `steps` in the JSON `text`, or undefined when absent. */
export function jsonTextAt(text: string, steps: readonly PathStep[]): string | undefined {
  let start = skipWs(text, 0);
  for (const step of steps) {
    const found = typeof step === 'number' ? arrayElement(text, start, step) : objectMember(text, start, step);
    if (found === undefined) return undefined;
    start = found;
  }
  return text.slice(start, scanValue(text, start));
}

function objectMember(s: string, i: number, key: string): number | undefined {
  if (s[i] !== '{') return undefined;
  let found: number | undefined;
  i = skipWs(s, i + 1);
  while (i < s.length && s[i] !== '}') {
    const keyEnd = scanString(s, i);
    const name = JSON.parse(s.slice(i, keyEnd)) as string;
    i = skipWs(s, skipWs(s, keyEnd) + 1);
    if (name === key) found = i; // the last of duplicate keys wins, as in JSON.parse
    i = skipWs(s, scanValue(s, i));
    if (s[i] === ',') i = skipWs(s, i + 1);
  }
  return found;
}

function arrayElement(s: string, i: number, index: number): number | undefined {
  if (s[i] !== '[') return undefined;
  i = skipWs(s, i + 1);
  for (let k = 0; i < s.length && s[i] !== ']'; k++) {
    if (k === index) return i;
    i = skipWs(s, scanValue(s, i));
    if (s[i] === ',') i = skipWs(s, i + 1);
  }
  return undefined;
}
