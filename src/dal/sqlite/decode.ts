import type { Row } from '../../core/model';
import { baseDecoders, decodeInteger, decodeBool, decodeTime, type ColumnDecoders } from '../base-decoders';

/**
 * better-sqlite3 returns integers as numbers, booleans as 0/1 and timestamps as
 * the text written (ISO from a Date, `YYYY-MM-DD HH:MM:SS` from CURRENT_TIMESTAMP).
 */
export const sqliteDecoders: ColumnDecoders = Object.freeze({
  ...baseDecoders,
  bool: (v: unknown) => (v === 1 ? true : v === 0 ? false : decodeBool(v)),
  datetime: decodeTime,
});

/**
 * Read with exact integers (BigInt), every integer that fits a number is made
 * a number again, in place: undeclared columns then read as on other reads.
 */
export function bigintsToNumbers(rows: Row[]): Row[] {
  for (const row of rows) {
    for (const k in row) if (typeof row[k] === 'bigint') row[k] = decodeInteger(row[k]);
  }
  return rows;
}

/**
 * Whether a row read with numbers holds one beyond 2^53 (an integer the
 * driver may have rounded; a REAL that large also counts: reading again is
 * then only slower, never wrong).
 */
export function hasUnsafeInteger(rows: readonly Row[]): boolean {
  for (const row of rows) {
    for (const k in row) {
      const v = row[k];
      if (typeof v === 'number' && (v > Number.MAX_SAFE_INTEGER || v < Number.MIN_SAFE_INTEGER)) return true;
    }
  }
  return false;
}
