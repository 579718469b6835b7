import type { MappingColumns } from '../core/extract-mapping';
import { convertValue, jsonTextAt, valueAt } from '../core/mapping-values';
import type { Row } from '../core/model';
import type { ColumnTypes } from '../core/table';

/** Column name → its constant or params value for this run. */
export type BoundValues = Map<string, unknown>;

/**
 * A declarative mapping as a JavaScript function of one parsed record and its
 * raw JSON text: the reference the compiled SQL of every database matches.
 */
export function mappingRowFunction(columns: MappingColumns, bound: BoundValues, types: ColumnTypes): (record: unknown, rawText: unknown) => Row {
  const entries = Object.entries(columns);
  const textual = new Set(Object.keys(columns).filter((c) => types[c]?.kind === 'string' || types[c]?.kind === 'text'));
  return (record, rawText) => {
    const row: Row = {};
    for (const [name, rule] of entries) {
      if (rule.from !== 'json') {
        row[name] = bound.get(name) ?? null;
        continue;
      }
      const exact = () => jsonTextAt(text(rawText), rule.steps);
      let v = convertValue(rule.as, valueAt(record, rule.steps), exact);
      // A number kept as is in a text column: its decimal text, as every database's JSON extraction gives it
      // (a driver would bind 42 as the double 42.0 on SQLite).
      if ((typeof v === 'number' || typeof v === 'bigint') && textual.has(name)) v = String(v);
      row[name] = v === null && rule.nullAs !== undefined ? rule.nullAs : v;
    }
    return row;
  };
}

/** Raw `data` may come back as text or bytes depending on the driver. */
function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return v === null || v === undefined ? '' : String(v);
}
