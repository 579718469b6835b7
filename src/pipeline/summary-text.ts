import type { PipelineSummary } from './engine';

/** A short human summary of a pipeline: its status, then one line per task by stage. */
export function formatPipelineSummary(s: PipelineSummary): string {
  const took = s.durationMs === null ? '' : ` in ${(s.durationMs / 1000).toFixed(1)}s`;
  const lines = [`pipeline ${s.pipelineId} "${s.name}": ${s.status}${took}${s.queue ? ` (queue ${s.queue})` : ''}`];
  for (const t of s.tasks) {
    const status = t.status === 'CREATED' ? 'NOT RUN' : t.status;
    const scope = Object.keys(t.options).length ? ` ${JSON.stringify(t.options)}` : '';
    const error = t.error && t.status === 'FAILED' ? `  ${t.error.code ?? ''} ${t.error.message}` : '';
    lines.push(`  stage ${t.stage}  ${status.padEnd(9)} #${t.id} ${t.plugin}${scope}${t.attempts > 1 ? ` (${t.attempts} attempts)` : ''}${error}`);
  }
  return `${lines.join('\n')}\n`;
}
