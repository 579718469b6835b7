import type { CsvTable } from './csv';

/** One difference between a table and its snapshot. */
export type SnapshotDifference =
  | { kind: 'missing'; key: string }
  | { kind: 'extra'; key: string; row: Record<string, string> }
  | { kind: 'changed'; key: string; columns: Array<{ column: string; expected: string; actual: string }> }
  | { kind: 'duplicate'; key: string; where: 'snapshot' | 'table' };

/** The outcome of comparing formatted table rows with a snapshot. */
export interface SnapshotComparison {
  tableRows: number;
  snapshotRows: number;
  differences: SnapshotDifference[];
}

/**
 * Compares formatted table rows with snapshot rows as DevLake's
 * VerifyTableWithOptions does: rows keyed by their primary-key values joined
 * with '-', order-insensitive, listed columns compared as strings (a column
 * absent from the CSV header counts as ''), JSON columns as parsed JSON, and
 * row counts equal.
 */
export function compareWithSnapshot(
  actual: Array<Record<string, string>>,
  snapshot: CsvTable,
  opts: { columns: readonly string[]; primaryKey: readonly string[]; jsonColumns?: readonly string[] },
): SnapshotComparison {
  const differences: SnapshotDifference[] = [];
  const json = new Set(opts.jsonColumns ?? []);
  const index = new Map(snapshot.header.map((h, i) => [h, i]));
  const field = (rec: string[], col: string): string => {
    const i = index.get(col);
    return i === undefined ? '' : (rec[i] ?? '');
  };
  const keyOfCsv = (rec: string[]) => opts.primaryKey.map((k) => field(rec, k)).join('-');
  const expected = new Map<string, string[]>();
  for (const rec of snapshot.rows) {
    const key = keyOfCsv(rec);
    if (expected.has(key)) differences.push({ kind: 'duplicate', key, where: 'snapshot' });
    expected.set(key, rec);
  }
  const seen = new Set<string>();
  for (const row of actual) {
    const key = opts.primaryKey.map((k) => row[k] ?? '').join('-');
    if (seen.has(key)) differences.push({ kind: 'duplicate', key, where: 'table' });
    seen.add(key);
    const rec = expected.get(key);
    if (!rec) {
      differences.push({ kind: 'extra', key, row });
      continue;
    }
    const changed: Array<{ column: string; expected: string; actual: string }> = [];
    for (const column of opts.columns) {
      const want = field(rec, column);
      const got = row[column] ?? '';
      if (want === got) continue;
      if (json.has(column) && sameJson(want, got)) continue;
      changed.push({ column, expected: want, actual: got });
    }
    if (changed.length > 0) differences.push({ kind: 'changed', key, columns: changed });
  }
  for (const key of expected.keys()) if (!seen.has(key)) differences.push({ kind: 'missing', key });
  if (differences.length === 0 && actual.length !== snapshot.rows.length) {
    // Only reachable through duplicate keys, reported above; kept as a guard.
    differences.push({ kind: 'duplicate', key: '(row count)', where: 'table' });
  }
  return { tableRows: actual.length, snapshotRows: snapshot.rows.length, differences };
}

function sameJson(a: string, b: string): boolean {
  try {
    return deepEqual(JSON.parse(a), JSON.parse(b));
  } catch {
    return false;
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

const MAX_SHOWN = 10; // differences per kind in a message
const clip = (s: string): string => (s.length > 200 ? `${s.slice(0, 200)}…(${s.length} chars)` : s);

/** A readable report of the differences: counts, then missing, extra and changed rows. */
export function formatDifferences(table: string, snapshotFile: string, cmp: SnapshotComparison): string {
  const lines = [`Table ${table} differs from snapshot ${snapshotFile}: ${cmp.tableRows} table rows, ${cmp.snapshotRows} snapshot rows`];
  const section = <K extends SnapshotDifference['kind']>(kind: K, title: string, show: (d: Extract<SnapshotDifference, { kind: K }>) => string[]) => {
    const items = cmp.differences.filter((d): d is Extract<SnapshotDifference, { kind: K }> => d.kind === kind);
    if (items.length === 0) return;
    lines.push(`${title} (${items.length}):`);
    for (const d of items.slice(0, MAX_SHOWN)) lines.push(...show(d));
    if (items.length > MAX_SHOWN) lines.push(`  … and ${items.length - MAX_SHOWN} more`);
  };
  section('missing', 'missing rows (in snapshot, not in table)', (d) => [`  - ${d.key}`]);
  section('extra', 'extra rows (in table, not in snapshot)', (d) => [`  + ${d.key}`]);
  section('changed', 'changed rows', (d) => [
    `  ~ ${d.key}`,
    ...d.columns.map((c) => `      ${c.column}: expected ${JSON.stringify(clip(c.expected))}, actual ${JSON.stringify(clip(c.actual))}`),
  ]);
  section('duplicate', 'duplicate keys', (d) => [`  ! ${d.key} (in ${d.where})`]);
  return lines.join('\n');
}
