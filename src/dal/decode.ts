import type { Row } from '../core/model';
import type { ColumnTypes } from '../core/table';
import type { ColumnDecoders } from './base-decoders';

export { baseDecoders, type ColumnDecoders } from './base-decoders';

/**
 * Decodes the declared columns of `rows` in place (the rows are the driver's
 * fresh objects): columns not declared, or not selected, are left as they are.
 */
export function decodeRows<T extends Row>(rows: T[], columns: ColumnTypes, decoders: ColumnDecoders): T[] {
  if (rows.length === 0) return rows;
  const present = Object.keys(columns).filter((c) => c in rows[0]!);
  const fns = present.map((c) => decoders[columns[c]!.kind]);
  for (const row of rows) {
    const r = row as Row;
    for (let i = 0; i < present.length; i++) {
      const v = r[present[i]!];
      if (v !== null && v !== undefined) r[present[i]!] = fns[i]!(v);
      else if (v === undefined) r[present[i]!] = null;
    }
  }
  return rows;
}
