import { formatGoal, meets, type BenchResult } from './measure';

/** `12 345`, `0.93`, `1.2 M`: short enough for a table cell. */
function num(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '—';
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US');
  if (Math.abs(v) >= 100) return v.toFixed(0);
  if (Math.abs(v) >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

/** The results as a Markdown table: `name | ours | ceiling | ratio | goal | ok`. */
export function formatTable(results: readonly BenchResult[]): string {
  const rows = results.map((r) => [
    r.name,
    `${num(r.value)} ${r.unit}`,
    r.ceiling === null ? '—' : `${num(r.ceiling)} ${r.unit}`,
    r.ratio.toFixed(2),
    formatGoal(r.goal),
    r.goal === null ? '—' : meets(r.ratio, r.goal) ? 'yes' : 'NO',
  ]);
  const header = ['name', 'ours', 'ceiling', 'ratio', 'goal', 'ok'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
