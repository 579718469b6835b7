import type { Row } from '../core/model';
import type { Dialect } from '../core/dal';
import type { ColumnTypes } from '../core/table';
import { dialectOf } from './dialects';
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

/**
 * Decodes rows a plugin read itself through `dal.knex` (a lookup before a
 * conversion) per a table's declared columns, as `Dal.stream` does with
 * `columns`: `readRows(ctx.db, await ctx.db.knex(T.table).select('*'), T)`;
 * for a join, per `columnTypes({ created_date: 'datetime', … })`.
 * (On SQLite an integer beyond 2^53 read this way has already been rounded by
 * the driver; read such columns through `Dal.stream` to keep them exact.)
 */
export function readRows<T>(dal: { dialect: Dialect }, rows: unknown, table: { spec: { columns: ColumnTypes } } | ColumnTypes): T[] {
  const columns = isTable(table) ? table.spec.columns : table;
  return decodeRows(rows as Row[], columns, dialectOf(dal.dialect).decoders) as T[];
}

function isTable(t: { spec: { columns: ColumnTypes } } | ColumnTypes): t is { spec: { columns: ColumnTypes } } {
  const spec = (t as { spec?: unknown }).spec;
  return typeof spec === 'object' && spec !== null && 'columns' in spec;
}
