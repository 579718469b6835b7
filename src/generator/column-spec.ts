import { snakeCase } from '../core/naming';
import { KINDS, kindName, type ColumnSpec, type ColumnType } from './columns';
import { COMMON_COLUMNS, sampleError, type InferredTable } from './infer-sample';
import { knownPaths, lookup, observePath, readsEvery, typeOf } from './observe';

/**
 * `--columns`: the columns a port keeps, read off the upstream model, as one
 * spec: `state,url=html_url,milestone_id=milestone.id,body:text,github_id=id:bigint`.
 * Each entry is `column[=path][:kind]`; the table keeps the listed columns (and
 * the key) in that order, each typed by its kind (the inferred one, or the
 * override) and read by the kind's pick rule. Pure.
 */

/** One entry of a `--columns` spec. */
export interface ColumnPick {
  /** The column's name, or (without `=path`) an inferred column's name or a sample path (`user.login`). */
  column: string;
  /** `=path`: where the value is in the record. */
  path?: string[];
  /** `:kind`: the column's type instead of the inferred one. */
  kind?: { type: ColumnType; length?: number };
  /** The entry as written, for messages. */
  text: string;
}

const SPEC_HINT = 'Write --columns as column[=path][:kind] entries separated by commas, e.g. state,url=html_url,milestone_id=milestone.id,body:text,github_id=id:bigint.';

function parseKind(text: string, entry: string): { type: ColumnType; length?: number } {
  const m = /^([a-z0-9]+)(?:\((\d+)\))?$/.exec(text.trim());
  const type = m ? KINDS[m[1]!] : undefined;
  const length = m?.[2] === undefined ? undefined : Number(m[2]);
  if (!type || (length !== undefined && (type !== 'string' || length < 1 || length > 16383))) {
    throw sampleError(`--columns "${entry}": "${text}" is not a column kind`, `Use one of: string(N) (N from 1 to 16383), ${Object.keys(KINDS).filter((k) => k !== 'string').join(', ')}.`);
  }
  return type === 'string' ? { type, length: length ?? 255 } : { type };
}

/** `state, url=html_url:text` → its entries; a malformed entry is DEVLAKE_E_GEN_INVALID_ANSWER. */
export function parseColumnSpec(spec: string): ColumnPick[] {
  const entries = spec.split(',').map((e) => e.trim()).filter(Boolean);
  if (entries.length === 0) throw sampleError('--columns lists no column', SPEC_HINT);
  return entries.map((text) => {
    const m = /^([^=:]+?)\s*(?:=\s*([^=:]+?))?\s*(?::\s*(.+))?$/.exec(text);
    const path = m?.[2]?.split('.').map((k) => k.trim());
    if (!m || (path && path.some((k) => k === '')) || (m[1]!.includes('.') && path)) throw sampleError(`--columns "${text}" is not column[=path][:kind]`, SPEC_HINT);
    return { column: m[1]!.trim(), ...(path ? { path } : {}), ...(m[3] !== undefined ? { kind: parseKind(m[3], text) } : {}), text };
  });
}

/** Edit distance, for naming the paths closest to a mistyped one. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

/** Sample paths close to `path`: a small edit away, or ending in the same key. */
export function closeMatches(records: readonly unknown[], path: string, max = 5): string[] {
  const last = path.split('.').pop()!;
  return knownPaths(records)
    .map((p) => ({ p, d: p.split('.').pop() === last ? 0 : distance(p, path) }))
    .filter(({ p, d }) => d <= Math.max(2, Math.floor(path.length / 3)) || p.includes(path))
    .sort((a, b) => a.d - b.d || a.p.length - b.p.length)
    .slice(0, max)
    .map(({ p }) => p);
}

function notInSample(records: readonly unknown[], entry: ColumnPick, path: string): Error {
  const close = closeMatches(records, path);
  return sampleError(
    `--columns "${entry.text}": no record of the sample has "${path}"`,
    close.length ? `Did you mean ${close.map((p) => `"${p}"`).join(', ')}? Paths are keys joined with dots (milestone.id).` : 'Paths are keys joined with dots (milestone.id); see the inferred table with --dry-run at a prompt.',
  );
}

/** The column an entry names: an inferred one (by name, then by path), or one read off the records at its path. */
function resolve(shape: InferredTable, entry: ColumnPick): ColumnSpec {
  const byPath = (path: string) => shape.columns.find((c) => c.path.join('.') === path);
  if (entry.path) {
    const path = entry.path.join('.');
    const inferred = byPath(path);
    if (inferred) return { ...inferred, column: entry.column };
    return fromRecords(shape, entry, entry.path, entry.column);
  }
  const named = shape.columns.find((c) => c.column === entry.column) ?? byPath(entry.column);
  if (named) return { ...named };
  const path = entry.column.split('.');
  return fromRecords(shape, entry, path, snakeCase(path.join('_')));
}

/** Whether the object holding `path` is null in every sample record that has it (`assignee.id` where `assignee` is always null). */
function parentAlwaysNull(records: readonly unknown[], path: readonly string[]): boolean {
  for (let i = path.length - 1; i >= 1; i--) {
    const seen = records.map((r) => lookup(r, path.slice(0, i))).filter((x) => x.has);
    if (seen.length > 0) return seen.every((x) => x.value === null);
  }
  return false;
}

/**
 * A column for a path the inference did not make one of (deeper than it
 * flattens): typed from the records. Under an object the sample only has as
 * null, the path is taken with an explicit kind: the sample cannot type it.
 */
function fromRecords(shape: InferredTable, entry: ColumnPick, path: string[], column: string): ColumnSpec {
  const o = observePath(shape.records, path);
  if (o) return { column, path, ...typeOf(o, column), nullable: o.present < shape.records.length };
  if (!parentAlwaysNull(shape.records, path)) throw notInSample(shape.records, entry, path.join('.'));
  if (!entry.kind) {
    throw sampleError(`--columns "${entry.text}": "${path.join('.')}" is under an object that is null in every sample record`, `Give it a kind, e.g. ${entry.text}:bigint or ${entry.text}:text, or use a sample where it has a value.`);
  }
  return { column, path, ...entry.kind, nullable: true };
}

/** Paths of nested objects, parents of `columns`, that some record lacks (or has null). */
function nullableParents(records: readonly unknown[], columns: readonly ColumnSpec[]): string[] {
  const out = new Set<string>();
  for (const c of columns) {
    for (let i = 1; i < c.path.length; i++) {
      const parent = c.path.slice(0, i);
      if (records.some((r) => { const { value } = lookup(r, parent); return value === null || typeof value !== 'object'; })) out.add(parent.join('.'));
    }
  }
  return [...out];
}

/**
 * The table with only the spec's columns: the key columns first (in key
 * order; an entry may rename one or change its kind), then the entries in
 * their order. A kind whose pick rule turns some sample value into NULL
 * (`:int` over strings) makes the column nullable; a key column must read
 * every value. Paths not in the sample, bad names and duplicates are
 * DEVLAKE_E_GEN_INVALID_ANSWER.
 */
export function selectColumns(shape: InferredTable, spec: readonly ColumnPick[]): InferredTable {
  const notes = [...shape.notes];
  const picked = spec.map((entry) => {
    const base = resolve(shape, entry);
    const kinds = observePath(shape.records, base.path)?.kinds ?? new Set();
    const c: ColumnSpec = entry.kind ? { ...base, type: entry.kind.type, ...(entry.kind.length ? { length: entry.kind.length } : {}) } : base;
    if (c.type !== 'string') delete c.length;
    if (c.type !== 'json' && (kinds.has('object') || kinds.has('array'))) {
      throw sampleError(`--columns "${entry.text}": "${c.path.join('.')}" holds objects or arrays in the sample`, `Give it :json (its JSON text), or pick a field inside it, e.g. ${c.column}_id=${c.path.join('.')}.id.`);
    }
    if (!readsEvery(c.type, kinds)) {
      if (c.primaryKey) throw sampleError(`--columns "${entry.text}": the key "${c.path.join('.')}" would be NULL where the sample has ${[...kinds].join(' or ')} values`, `Give the key a kind that reads them, e.g. :${kindName(base)}.`);
      c.nullable = true;
      notes.push(`${c.column} is ${kindName(c)}: its ${[...kinds].join('/')} sample values that kind does not read are NULL`);
    }
    if (c.primaryKey && ['json', 'float', 'text'].includes(c.type)) {
      throw sampleError(`--columns "${entry.text}": a key column cannot be ${kindName(c)}`, 'Give a key column a kind that indexes exactly: string(N), int, bigint, uint64, datetime.');
    }
    if (!/^[a-z_][a-z0-9_]*$/.test(c.column) || COMMON_COLUMNS.has(c.column)) {
      throw sampleError(`--columns "${entry.text}": "${c.column}" cannot be a column name`, 'Use lower-case letters, digits and _, not a common column (created_at, updated_at, _raw_data_*): e.g. github_created_at=created_at.');
    }
    return c;
  });
  const keys = shape.columns
    .filter((c) => c.primaryKey)
    .map((k) => {
      const entries = picked.filter((p) => p.primaryKey && p.path.join('.') === k.path.join('.'));
      if (entries.length > 1) throw sampleError(`--columns names the key "${k.path.join('.')}" twice`, 'List a key field once (renamed if you like, e.g. github_id=id:bigint).');
      return entries[0] ?? k;
    });
  const columns = [...keys, ...picked.filter((c) => !c.primaryKey)];
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c.column)) throw sampleError(`--columns names the column "${c.column}" twice`, 'Give each column its own name, e.g. author_id=user.id,assignee_id=assignee.id.');
    seen.add(c.column);
  }
  // Notes about fields left out are noise: keep those naming a kept path, and the ones made here.
  const kept = new Set(columns.map((c) => `"${c.path.join('.')}"`));
  const relevant = notes.filter((n, i) => i >= shape.notes.length || kept.has(n.slice(0, n.indexOf('"', 1) + 1)));
  return { columns, nullableObjects: nullableParents(shape.records, columns), records: shape.records, notes: relevant };
}
