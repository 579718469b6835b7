import { isDevlakeError } from '../core/errors';
import { formatResults, writeFiles, type GeneratedFile, type WriteOptions, type WriteResult } from './write-files';

/**
 * Writes a plan and prints one line per file (created / updated / identical /
 * skipped / conflict); on a conflict the list is printed before the error.
 */
export function applyPlan(
  files: readonly GeneratedFile[],
  options: WriteOptions,
  print: (text: string) => void = (text) => process.stdout.write(`${text}\n`),
): WriteResult[] {
  try {
    const results = writeFiles(files, options);
    print(formatResults(results, options.dryRun));
    return results;
  } catch (err) {
    const results = isDevlakeError(err) ? (err.data as { results?: WriteResult[] }).results : undefined;
    if (results) print(results.map((r) => `${r.outcome.padEnd(9)} ${r.path}`).join('\n'));
    throw err;
  }
}
