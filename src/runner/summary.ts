import type { RunSummary } from './run-task';

/** A short human summary of a run: status, then rows written per subtask and table. */
export function formatSummary(s: RunSummary): string {
  const lines = [`${s.plugin}: ${s.status} in ${(s.durationMs / 1000).toFixed(1)}s, ${s.rowsWritten} rows written`];
  for (const st of s.subtasks) {
    const tables = Object.entries(st.tables)
      .map(([t, n]) => `${t}: ${n}`)
      .join(', ');
    const status = st.status === 'CREATED' ? 'NOT RUN' : st.status;
    lines.push(`  ${status.padEnd(9)} ${st.name}${tables ? `  (${tables})` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
