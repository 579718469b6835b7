import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Figures for the `npm run test:faults` summary table. The reporter
 * (test/faults/reporter.js) sets DEVLAKE_FAULTS_FIGURES to a directory before
 * the workers start; each test file adds its counts there. Under a plain
 * `npm test` the variable is unset and figures are not kept.
 */
export type Figures = Record<string, number>;

/** Adds `figures` to the totals of this worker's file for `topic` (e.g. `flaky-http`). */
export function addFigures(topic: string, figures: Figures): void {
  const dir = process.env.DEVLAKE_FAULTS_FIGURES;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${topic}.${process.pid}.json`);
  const current: Figures = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Figures) : {};
  for (const [k, v] of Object.entries(figures)) current[k] = (current[k] ?? 0) + v;
  fs.writeFileSync(file, JSON.stringify(current));
}
