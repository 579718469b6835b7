import type { ColumnKind } from '../core/table';

/**
 * Turns what a driver returns for a non-NULL value of a declared column kind
 * into the one JS value the framework promises on every database: integers
 * as number (bigint beyond 2^53), timestamps as Date, booleans as boolean,
 * JSON parsed. NULL stays null and never reaches a decoder.
 */
export type ColumnDecoders = Readonly<Record<ColumnKind, (v: unknown) => unknown>>;

/** An integer as a number, or a bigint when a number would lose digits. */
export function decodeInteger(v: unknown): unknown {
  switch (typeof v) {
    case 'number':
      return v;
    case 'bigint':
      return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
    case 'string': {
      const n = Number(v);
      return Number.isSafeInteger(n) || !/^-?\d+$/.test(v.trim()) ? n : BigInt(v.trim());
    }
    case 'boolean':
      return v ? 1 : 0;
    default:
      return v;
  }
}

/** A text value: Buffers (blob-typed text on some drivers) as UTF-8, anything else as its string. */
export function decodeText(v: unknown): unknown {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** A timestamp: a Date as is, an ISO text (a zone-less one read as UTC, as SQLite's CURRENT_TIMESTAMP), epoch milliseconds. */
export function decodeTime(v: unknown): unknown {
  if (v instanceof Date) return v;
  if (typeof v === 'number') return new Date(v);
  if (typeof v === 'string') {
    const s = v.trim();
    // `YYYY-MM-DD HH:MM:SS[.fff]` has no zone: the framework writes UTC, so read it as UTC (JS would read local time).
    if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s)) return new Date(`${s.replace(' ', 'T')}Z`);
    return new Date(s);
  }
  return v;
}

/** A boolean from a boolean, 0/1, or the text forms drivers and CSV fixtures use. */
export function decodeBool(v: unknown): unknown {
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'number':
    case 'bigint':
      return v !== 0 && v !== 0n;
    case 'string':
      return ['1', 't', 'true', 'y', 'yes'].includes(v.trim().toLowerCase());
    default:
      return v;
  }
}

/** JSON text parsed; a value the driver already parsed as is. */
export function decodeJson(v: unknown): unknown {
  const text = typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.toString('utf8') : undefined;
  if (text === undefined) return v;
  try {
    return JSON.parse(text);
  } catch {
    return text; // not JSON (a hand-written fixture): the text itself, rather than failing the read
  }
}

/** What every dialect starts from; each dialect folder overrides what its driver returns differently. */
export const baseDecoders: ColumnDecoders = Object.freeze({
  string: decodeText,
  text: decodeText,
  bigint: decodeInteger,
  int: decodeInteger,
  uint64: decodeInteger,
  float: (v: unknown) => (typeof v === 'number' ? v : Number(v)),
  bool: decodeBool,
  datetime: decodeTime,
  json: decodeJson,
});
