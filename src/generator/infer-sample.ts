import { DevlakeError } from '../core/errors';
import { snakeCase } from '../core/naming';
import { kindName, type ColumnSpec, type TableShape } from './columns';
import { isObject, observation, observe, typeOf, type Observed } from './observe';
import type { PaginationMode } from './validate';

/**
 * Infers a tool table from sample API data: where the records are in a
 * response, which columns they make (nested objects flattened with `_`, as
 * DevLake's models name them: `user.login` → `user_login`), each column's
 * type and nullability, the primary key, and the pagination a collector
 * should use. Pure: text in, shapes out.
 */

/** What a sample file held. */
export type SampleKind = 'json' | 'jsonl' | 'cassette';

/** One response of a sample: its body and, for a cassette, its headers. */
export interface SampleResponse {
  body: unknown;
  headers: Record<string, string>;
}

/** A parsed sample: its responses and the records found in them. */
export interface Sample {
  kind: SampleKind;
  responses: SampleResponse[];
  /** Where the records are in each response body; `[]` = the body is the array (or the record). */
  recordPath: string[];
  records: unknown[];
}

/** Columns every tool table already has (NoPKModel): a field of that name is prefixed with the plugin. */
export const COMMON_COLUMNS = new Set(['created_at', 'updated_at', '_raw_data_params', '_raw_data_table', '_raw_data_id', '_raw_data_remark']);

export function sampleError(message: string, hint: string): DevlakeError {
  return new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', message, { hint });
}

/** A `a.b` record path as keys. */
export function parseRecordPath(path: string | undefined): string[] | undefined {
  if (path === undefined) return undefined;
  const trimmed = path.trim().replace(/^\$\.?/, '');
  return trimmed === '' || trimmed === '.' ? [] : trimmed.split('.');
}

/** The value at `path` in a body. */
function at(body: unknown, path: readonly string[]): unknown {
  let v = body;
  for (const key of path) v = isObject(v) ? v[key] : undefined;
  return v;
}

/**
 * Where the records are in a response body: `[]` when the body is an array
 * or has its own `id`; otherwise the longest array of objects up to two
 * levels down (`items`, `data.values`) when the body looks like a wrapper
 * (few scalar fields, or a list-like key); otherwise `[]` (one record).
 */
export function findRecordPath(body: unknown): string[] {
  if (Array.isArray(body) || !isObject(body)) return [];
  // A body with its own scalar id is a record (one issue with its labels array), not a wrapper.
  if (['id', 'uuid', 'key'].some((k) => ['string', 'number'].includes(typeof body[k]))) return [];
  let best: { path: string[]; length: number } | undefined;
  const visit = (v: Record<string, unknown>, path: string[]) => {
    for (const [key, child] of Object.entries(v)) {
      if (Array.isArray(child) && child.length > 0 && child.every(isObject)) {
        if (!best || child.length > best.length) best = { path: [...path, key], length: child.length };
      } else if (isObject(child) && path.length < 1) visit(child, [...path, key]);
    }
  };
  visit(body, []);
  if (!best) return [];
  // A record with an array of objects in it (a commit's `parents`) is not a wrapper: a wrapper has few
  // scalar fields of its own (`total_count`) or names its list as lists are named.
  const scalars = Object.values(body).filter((v) => v === null || typeof v !== 'object').length;
  return scalars <= 3 || LIST_KEYS.test(best.path[best.path.length - 1]!) ? best.path : [];
}

/** Keys under which APIs put their lists of records. */
const LIST_KEYS = /^(items|data|values|results|records|entries|elements|list|nodes|edges|content|rows|hits|objects|resources)$/i;

/** The records of one body at `path`: an array's items, or the value itself. */
function recordsAt(body: unknown, path: readonly string[]): unknown[] {
  const v = at(body, path);
  if (Array.isArray(v)) return v;
  return v === undefined || v === null ? [] : [v];
}

/**
 * Parses a sample file: a JSON response body, JSON lines (one record, or one
 * body, per line), or a cassette written by `devlake run --record` (its 2xx
 * JSON responses; `match` keeps those whose URL contains it).
 */
export function parseSample(text: string, options: { recordPath?: string; match?: string } = {}): Sample {
  let kind: SampleKind;
  let responses: SampleResponse[];
  try {
    const doc = JSON.parse(text) as unknown;
    if (isObject(doc) && Array.isArray(doc.interactions) && typeof doc.version === 'number') {
      kind = 'cassette';
      responses = (doc.interactions as Array<{ request?: { url?: string }; response?: { status?: number; headers?: Record<string, string>; json?: unknown } }>)
        .filter((i) => (i.response?.status ?? 0) >= 200 && (i.response?.status ?? 0) < 300 && i.response?.json !== undefined)
        .filter((i) => options.match === undefined || (i.request?.url ?? '').includes(options.match))
        .map((i) => ({ body: i.response!.json, headers: i.response!.headers ?? {} }));
    } else {
      kind = 'json';
      responses = [{ body: doc, headers: {} }];
    }
  } catch {
    const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
    try {
      responses = lines.map((l) => ({ body: JSON.parse(l) as unknown, headers: {} }));
    } catch (cause) {
      throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', `The sample is neither JSON, JSON lines nor a cassette: ${(cause as Error).message}`, {
        hint: 'Pass --from-sample with a saved response body (curl … > sample.json), one JSON record per line, or a cassette from devlake run --record.',
        cause,
      });
    }
    kind = 'jsonl';
  }
  if (responses.length === 0) {
    throw sampleError('The sample has no responses to read', options.match ? `No 2xx JSON response of the cassette has a URL containing "${options.match}".` : 'Record a run that succeeds, or save a response body.');
  }
  // JSON lines hold one record per line unless told otherwise.
  const recordPath = parseRecordPath(options.recordPath) ?? (kind === 'jsonl' ? [] : findRecordPath(responses[0]!.body));
  const records = responses.flatMap((r) => recordsAt(r.body, recordPath));
  if (records.length === 0 || !records.every(isObject)) {
    throw sampleError(
      `The sample has no records (objects) at ${recordPath.length ? `"${recordPath.join('.')}"` : 'its top level'}`,
      'Pass --record-path with where the records are in a response, e.g. --record-path items or --record-path data.values.',
    );
  }
  return { kind, responses, recordPath, records };
}

export interface InferOptions {
  /** Field(s) of the primary key, e.g. `id` or `id,number`; default `id`. Nested fields as `user.id`. */
  primaryKey?: string;
  /** Levels of nested objects flattened into columns; deeper objects are kept as `json`. Default 2. */
  flattenDepth?: number;
  /** Prefix for fields named like the common columns (`created_at` → `<prefix>_created_at`), e.g. the plugin. */
  prefix: string;
}

/** The inferred table plus notes for the user (lossy numbers, renamed columns). */
export interface InferredTable extends TableShape {
  notes: string[];
}

/**
 * The table the records make: one column per leaf (objects flattened up to
 * `flattenDepth`, arrays and deeper objects as `json`), typed from every
 * value seen, nullable when any record lacks the value or has it null.
 */
export function inferTable(records: readonly unknown[], options: InferOptions): InferredTable {
  const depth = options.flattenDepth ?? 2;
  const seen = new Map<string, Observed>();
  const objectPaths = new Map<string, number>();
  const notes: string[] = [];
  records.forEach((record, index) => {
    const visit = (v: unknown, path: string[]) => {
      if (isObject(v) && (path.length === 0 || path.length < depth)) {
        if (path.length > 0) objectPaths.set(path.join('.'), (objectPaths.get(path.join('.')) ?? 0) + 1);
        for (const [key, child] of Object.entries(v)) visit(child, [...path, key]);
        return;
      }
      const id = path.join('.');
      let o = seen.get(id);
      if (!o) {
        o = observation(path, index);
        seen.set(id, o);
      }
      observe(o, v);
    };
    visit(record, []);
  });
  // A path that holds an object in some records and null in the others is the object, not a leaf.
  for (const [id, o] of seen) {
    if (objectPaths.has(id) && o.present === 0) seen.delete(id);
    else if (o.present === 0) notes.push(`"${id}" is null in every sample record: typed string(255); change it if you know better`);
  }
  // A nested object missing or null in some record makes its fields nullable, and optional in the record type.
  const nullableObjects = [...objectPaths.entries()].filter(([, n]) => n < records.length).map(([p]) => p);
  const keys = (options.primaryKey ?? 'id').split(',').map((k) => k.trim());
  const used = new Set<string>();
  const columns: ColumnSpec[] = [];
  for (const o of seen.values()) {
    const id = o.path.join('.');
    let column = snakeCase(o.path.join('_')) || 'field';
    if (/^\d/.test(column)) column = `f_${column}`;
    if (COMMON_COLUMNS.has(column)) {
      notes.push(`"${id}" is stored as ${options.prefix}_${column}: every tool table already has ${column}`);
      column = `${options.prefix}_${column}`;
    }
    if (used.has(column)) {
      let n = 2;
      while (used.has(`${column}_${n}`)) n++;
      notes.push(`"${id}" is stored as ${column}_${n}: ${column} is taken by another field`);
      column = `${column}_${n}`;
    }
    used.add(column);
    const { type, length } = typeOf(o, column);
    if ((type === 'bigint' || type === 'integer') && o.maxAbs > Number.MAX_SAFE_INTEGER) {
      notes.push(`"${id}" has integers beyond 2^53: JSON.parse rounds them, so ${column} holds the nearest double`);
    }
    const primaryKey = keys.includes(id) || keys.includes(o.path.join('_'));
    columns.push({ column, path: o.path, type, ...(length ? { length } : {}), nullable: !primaryKey && o.present < records.length, primaryKey });
  }
  for (const key of keys) {
    const c = columns.find((x) => x.primaryKey && (x.path.join('.') === key || x.path.join('_') === key));
    if (!c) {
      const candidates = columns.filter((x) => x.type !== 'json' && x.type !== 'float' && !x.nullable).map((x) => x.path.join('.'));
      throw sampleError(`The primary key field "${key}" is not in the sample's records`, `Pass --primary-key with field(s) every record has, e.g. one of: ${candidates.slice(0, 12).join(', ')}.`);
    }
    if (seen.get(c.path.join('.'))!.present < records.length) {
      throw sampleError(`The primary key field "${key}" is missing or null in some records of the sample`, 'Pass --primary-key with field(s) every record has.');
    }
    if (c.type === 'json' || c.type === 'float') throw sampleError(`The primary key field "${key}" is ${c.type === 'json' ? 'an object or array' : 'a float'}`, 'Pass --primary-key with a text or integer field.');
    if (c.type === 'text') Object.assign(c, { type: 'string', length: 255 });
  }
  // Key columns first (in key order), then the rest in first-seen order, as DevLake models read.
  const keyed = keys.map((k) => columns.find((c) => c.primaryKey && (c.path.join('.') === k || c.path.join('_') === k))!);
  const ordered = [...keyed, ...columns.filter((c) => !c.primaryKey)];
  return { columns: ordered, nullableObjects, records: [...records], notes };
}

/** A pagination mode proposed for a collector, with what in the sample suggests it. */
export interface PaginationProposal {
  mode: PaginationMode;
  reason: string;
  /** Cursor mode: where the next cursor is in a body. */
  cursorPath?: string[];
  /** totalPages mode: where the page count is in the first body (absent: the `x-total-pages` header). */
  totalPagesPath?: string[];
}

const CURSOR_KEYS = ['next_cursor', 'nextCursor', 'cursor', 'next_page_token', 'nextPageToken', 'endCursor', 'end_cursor', 'next'];
const TOTAL_PAGES_KEYS = ['total_pages', 'totalPages', 'pages', 'page_count', 'pageCount', 'last_page', 'lastPage'];

/** Finds one of `keys` in a body, up to two levels down. */
function findKey(body: unknown, keys: readonly string[], depth = 2): string[] | undefined {
  if (!isObject(body)) return undefined;
  for (const key of keys) if (key in body) return [key];
  if (depth <= 1) return undefined;
  for (const [key, child] of Object.entries(body)) {
    const hit = findKey(child, keys, depth - 1);
    if (hit) return [key, ...hit];
  }
  return undefined;
}

/**
 * The pagination the sample suggests: a `Link: <…>; rel="next"` header (a
 * cassette) → `link`; a page count (`total_pages`, `x-total-pages`) →
 * `totalPages`; a next cursor or token (`next_cursor`, `pageInfo.endCursor`,
 * `next`) → `cursor`; a bare array body → `page`; otherwise `none`.
 */
export function proposePagination(sample: Sample): PaginationProposal {
  const first = sample.responses[0]!;
  const link = sample.responses.find((r) => /rel="?next"?/.test(r.headers.link ?? ''));
  if (link) return { mode: 'link', reason: 'a Link header with rel="next"' };
  if (sample.responses.some((r) => r.headers['x-total-pages'] !== undefined)) return { mode: 'totalPages', reason: 'an x-total-pages header' };
  const total = findKey(first.body, TOTAL_PAGES_KEYS);
  if (total && typeof at(first.body, total) === 'number') return { mode: 'totalPages', reason: `"${total.join('.')}" in the body`, totalPagesPath: total };
  const cursor = findKey(first.body, CURSOR_KEYS);
  if (cursor && cursor.join('.') !== sample.recordPath.join('.')) {
    const v = at(first.body, cursor);
    // A next-page URL (`"next": "https://…"`) is not a cursor the collector can send back as `cursor=`.
    const url = typeof v === 'string' && /^https?:\/\//.test(v);
    if (!url && (v === null || typeof v === 'string' || typeof v === 'number')) return { mode: 'cursor', reason: `"${cursor.join('.')}" in the body`, cursorPath: cursor };
  }
  if (Array.isArray(first.body)) return { mode: 'page', reason: 'the body is a bare array (page=1,2,… until a short page)' };
  return { mode: 'none', reason: 'no page count, cursor or Link header in the sample' };
}

/** The inferred table as text, for interactive mode and `--dry-run`: one line per column. */
export function describeTable(table: string, shape: InferredTable): string {
  const width = Math.max(...shape.columns.map((c) => c.column.length));
  const lines = shape.columns.map((c) => {
    return `  ${c.column.padEnd(width)}  ${kindName(c).padEnd(11)} ${c.primaryKey ? 'primary key' : c.nullable ? 'null' : 'not null'}   ← ${c.path.join('.')}`;
  });
  return [`${table} (${shape.columns.length} columns, from ${shape.records.length} sample records):`, ...lines, ...shape.notes.map((n) => `  note: ${n}`)].join('\n');
}

/**
 * The table after the user's edits (interactive mode): `drop` lists columns to
 * leave out, `rename` maps a column to a new name. Key columns cannot be
 * dropped; new names must be lower-case identifiers, unique in the table.
 */
export function editColumns(shape: InferredTable, drop: readonly string[], rename: Readonly<Record<string, string>>): InferredTable {
  const names = new Set(shape.columns.map((c) => c.column));
  for (const name of [...drop, ...Object.keys(rename)]) {
    if (!names.has(name)) throw sampleError(`There is no column "${name}" in the inferred table`, `Use the names shown: ${[...names].join(', ')}.`);
  }
  const key = shape.columns.find((c) => c.primaryKey && drop.includes(c.column));
  if (key) throw sampleError(`The key column "${key.column}" cannot be dropped`, 'Pick another key with --primary-key first.');
  const columns = shape.columns.filter((c) => !drop.includes(c.column)).map((c) => (rename[c.column] ? { ...c, column: rename[c.column]! } : c));
  const seen = new Set<string>();
  for (const c of columns) {
    if (!/^[a-z_][a-z0-9_]*$/.test(c.column) || COMMON_COLUMNS.has(c.column)) {
      throw sampleError(`"${c.column}" cannot be a column name`, 'Use lower-case letters, digits and _, not a common column (created_at, updated_at, _raw_data_*).');
    }
    if (seen.has(c.column)) throw sampleError(`Two columns would be named "${c.column}"`, 'Rename one of them to something else.');
    seen.add(c.column);
  }
  return { ...shape, columns };
}

/** `a, b` → ['a', 'b']; `old=new, x=y` → { old: 'new', x: 'y' }: the answers of interactive mode. */
export function parseEdits(dropText: string, renameText: string): { drop: string[]; rename: Record<string, string> } {
  const list = (t: string) => t.split(',').map((x) => x.trim()).filter(Boolean);
  const rename: Record<string, string> = {};
  for (const pair of list(renameText)) {
    const [from, to] = pair.split('=').map((x) => x.trim());
    if (!from || !to) throw sampleError(`"${pair}" is not old=new`, 'Write renames as old=new, separated by commas, e.g. user_login=author_login.');
    rename[from] = to;
  }
  return { drop: list(dropText), rename };
}
