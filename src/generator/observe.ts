import { devlakeTime } from '../core/mapping-values';
import type { ColumnType } from './columns';

/**
 * What sample records hold at one path, and the column type that follows:
 * shared by the whole-table inference (infer-sample.ts) and the columns a
 * user picks by path (column-spec.ts). Pure.
 */

/** The JSON kinds a value can be seen as. `datetime`: a string pick.time reads (DevLake's timestamp grammar). */
export type ValueKind = 'boolean' | 'integer' | 'float' | 'string' | 'datetime' | 'array' | 'object';

/** What was seen at one path across the records. */
export interface Observed {
  path: string[];
  /** Records with a value (not null, not missing) here. */
  present: number;
  kinds: Set<ValueKind>;
  maxLength: number;
  maxAbs: number;
  /** First record (index) with the key, null or not. */
  firstIndex: number;
}

/** Field names that hold long free text even when the sample's values are short. */
const LONG_TEXT = /(^|_)(body|description|message|content|text|comment|summary|note|notes|details|readme|patch|diff)$/;

/** Field names of identifiers: their values grow past what a sample shows (GitHub's ids passed 2^31), so they are 64-bit. */
const ID = /(^|_)id$/;

export const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A fresh observation of `path`, first seen in record `index`. */
export function observation(path: string[], index: number): Observed {
  return { path, present: 0, kinds: new Set(), maxLength: 0, maxAbs: 0, firstIndex: index };
}

/** Adds one value (null and undefined count as absent) to an observation. */
export function observe(o: Observed, v: unknown): void {
  if (v === null || v === undefined) return;
  o.present++;
  if (typeof v === 'boolean') o.kinds.add('boolean');
  else if (typeof v === 'number') {
    o.kinds.add(Number.isInteger(v) ? 'integer' : 'float');
    o.maxAbs = Math.max(o.maxAbs, Math.abs(v));
  } else if (typeof v === 'string') {
    // The extractor's pick.time decides what a timestamp is: a string it turns into NULL is text.
    o.kinds.add(devlakeTime(v) ? 'datetime' : 'string');
    o.maxLength = Math.max(o.maxLength, v.length);
  } else o.kinds.add(Array.isArray(v) ? 'array' : 'object');
}

/** The value at `path` in a record and whether its key is there (a `null` value is there). */
export function lookup(record: unknown, path: readonly string[]): { has: boolean; value: unknown } {
  let v = record;
  for (const key of path) {
    if (!isObject(v) || !Object.prototype.hasOwnProperty.call(v, key)) return { has: false, value: undefined };
    v = v[key];
  }
  return { has: true, value: v };
}

/** Every record's value at `path`; undefined when no record has the key. */
export function observePath(records: readonly unknown[], path: string[]): Observed | undefined {
  let o: Observed | undefined;
  records.forEach((record, index) => {
    const { has, value } = lookup(record, path);
    if (!has) return;
    o ??= observation(path, index);
    observe(o, value);
  });
  return o;
}

/** The column type of what was seen at a path; `column` is the column's name (long text is named like it). */
export function typeOf(o: Observed, column: string): { type: ColumnType; length?: number } {
  const k = o.kinds;
  const last = o.path[o.path.length - 1] ?? '';
  if (k.size === 0) return { type: 'string', length: 255 };
  if (k.has('array') || k.has('object')) return { type: 'json' };
  if (k.size === 1 && k.has('boolean')) return { type: 'boolean' };
  if ([...k].every((x) => x === 'integer')) return { type: o.maxAbs > 2 ** 31 - 1 || ID.test(column) || ID.test(last) ? 'bigint' : 'integer' };
  if ([...k].every((x) => x === 'integer' || x === 'float')) return { type: 'float' };
  if (k.size === 1 && k.has('datetime')) return { type: 'datetime' };
  if (o.maxLength > 255 || LONG_TEXT.test(column) || LONG_TEXT.test(last)) return { type: 'text' };
  return { type: 'string', length: 255 };
}

/**
 * Whether a column of `type` reads every value seen without turning one into
 * NULL: `int` takes only numbers, `time` only timestamps, `bool` only
 * booleans; `asIs` (string, text) any scalar; `json` anything.
 */
export function readsEvery(type: ColumnType, kinds: ReadonlySet<ValueKind>): boolean {
  const only = (...ok: ValueKind[]) => [...kinds].every((k) => ok.includes(k));
  switch (type) {
    case 'integer':
    case 'bigint':
    case 'uint64':
    case 'float':
      return only('integer', 'float');
    case 'boolean':
      return only('boolean');
    case 'datetime':
      return only('datetime');
    case 'json':
      return true;
    default:
      return only('boolean', 'integer', 'float', 'string', 'datetime');
  }
}

/** Every key path in the records (objects entered up to `depth` levels), for naming close matches. */
export function knownPaths(records: readonly unknown[], depth = 4): string[] {
  const out = new Set<string>();
  const visit = (v: unknown, path: string[]) => {
    if (!isObject(v) || path.length >= depth) return;
    for (const [key, child] of Object.entries(v)) {
      out.add([...path, key].join('.'));
      visit(child, [...path, key]);
    }
  };
  for (const r of records) visit(r, []);
  return [...out];
}
