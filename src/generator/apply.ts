import * as path from 'node:path';
import { isDevlakeError } from '../core/errors';
import { formatResults, writeFiles, type GeneratedFile, type WriteOptions, type WriteResult } from './write-files';

/**
 * Writes a plan and prints one line per file (created / updated / identical /
 * skipped / conflict) with the path as the user would type it from the working
 * directory (`plugins/myapi/index.ts`); on a conflict the list is printed
 * before the error. After a write that changed something, the next steps.
 */
export function applyPlan(
  files: readonly GeneratedFile[],
  options: WriteOptions & { cwd?: string; nextSteps?: readonly string[] },
  print: (text: string) => void = (text) => process.stdout.write(`${text}\n`),
): WriteResult[] {
  const shown = (results: readonly WriteResult[]) => results.map((r) => ({ ...r, path: displayPath(options.root, r.path, options.cwd) }));
  try {
    const results = writeFiles(files, options);
    print(formatResults(shown(results), options.dryRun));
    const changed = results.some((r) => r.outcome === 'created' || r.outcome === 'updated');
    if (changed && !options.dryRun && options.nextSteps?.length) print(['', 'Next:', ...options.nextSteps.map((s) => `  ${s}`)].join('\n'));
    return results;
  } catch (err) {
    const results = isDevlakeError(err) ? (err.data as { results?: WriteResult[] }).results : undefined;
    if (results) print(shown(results).map((r) => `${r.outcome.padEnd(9)} ${r.path}`).join('\n'));
    throw err;
  }
}

/** `file` (relative to `root`) as seen from `cwd`: relative when inside it, absolute otherwise. */
export function displayPath(root: string, file: string, cwd = process.cwd()): string {
  const full = path.join(root, file);
  const rel = path.relative(cwd, full);
  return rel.startsWith('..') || path.isAbsolute(rel) ? full : rel.split(path.sep).join('/');
}
