import type { ConvertColumns, TextPart } from '../core/convert-mapping';
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

/**
 * A declarative conversion as a JavaScript function of one decoded input row:
 * the output row's mapped columns (zero values and provenance are the
 * converter's write path's). The reference the compiled SQL matches.
 */
export function convertRowFunction(columns: ConvertColumns, bound: BoundValues): (input: Row) => Row {
  const entries = Object.entries(columns);
  return (input) => {
    const row: Row = {};
    for (const [name, rule] of entries) {
      switch (rule.from) {
        case 'column':
          row[name] = input[rule.column] ?? null;
          break;
        case 'text':
          row[name] = textOf(rule.parts, input);
          break;
        case 'map': {
          const key = input[rule.column];
          const k = key === null || key === undefined ? undefined : partText(key);
          row[name] = k !== undefined && Object.prototype.hasOwnProperty.call(rule.cases, k) ? (rule.cases[k] ?? null) : rule.otherwise;
          break;
        }
        default:
          row[name] = bound.get(name) ?? null;
      }
    }
    return row;
  };
}

/** Literals and columns joined; NULL when a column is NULL (as SQL's `||`). */
function textOf(parts: readonly TextPart[], input: Row): string | null {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'string') {
      out += p;
      continue;
    }
    const v = input[p.column];
    if (v === null || v === undefined) return null;
    out += partText(v);
  }
  return out;
}

/** A value as a domain id part prints it (DomainIdGenerator: integers in decimal, strings verbatim). */
function partText(v: unknown): string {
  return typeof v === 'number' && Number.isInteger(v) ? BigInt(v).toString() : String(v);
}
