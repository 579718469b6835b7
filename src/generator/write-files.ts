import * as fs from 'node:fs';
import * as path from 'node:path';
import { environmentProblem } from '../core/environment-errors';
import { DevlakeError } from '../core/errors';

/**
 * Writes a plan to disk, all or nothing: every file is compared with what is
 * on disk first, and nothing is written when any file is a conflict.
 */

/**
 * What may happen to a file that already exists:
 * - `create`: a new file; an existing one that differs is a conflict (unless `force`);
 * - `edit`: an idempotent edit of an existing file (a registration); a change is an update;
 * - `keep`: written only when absent; an existing file is left alone (skipped).
 */
export type FilePolicy = 'create' | 'edit' | 'keep';

/** One file of a plan, rendered in memory. */
export interface GeneratedFile {
  /** Path relative to the write root, with `/` separators. */
  path: string;
  content: string;
  policy: FilePolicy;
}

/** The outcome for one file. */
export type WriteOutcome = 'created' | 'updated' | 'identical' | 'skipped' | 'conflict';

export interface WriteResult {
  path: string;
  outcome: WriteOutcome;
}

export interface WriteOptions {
  /** Folder the plan's paths are relative to. */
  root: string;
  /** Report only; write nothing. */
  dryRun?: boolean;
  /** Overwrite files that differ (conflicts become updates). */
  force?: boolean;
}

/** Compares each file with the disk; pure apart from reading. */
export function diffFiles(files: readonly GeneratedFile[], options: WriteOptions): WriteResult[] {
  return files.map((file) => {
    const target = path.join(options.root, file.path);
    if (!fs.existsSync(target)) return { path: file.path, outcome: 'created' };
    const current = fs.readFileSync(target, 'utf8');
    if (current === file.content) return { path: file.path, outcome: 'identical' };
    if (file.policy === 'keep') return { path: file.path, outcome: 'skipped' };
    if (file.policy === 'edit' || options.force) return { path: file.path, outcome: 'updated' };
    return { path: file.path, outcome: 'conflict' };
  });
}

/**
 * Writes every `created`/`updated` file, or none: when any file is a
 * conflict, throws DEVLAKE_E_GEN_CONFLICT (data: the full result list) and
 * writes nothing. With `dryRun`, returns the same list and writes nothing.
 */
export function writeFiles(files: readonly GeneratedFile[], options: WriteOptions): WriteResult[] {
  const results = diffFiles(files, options);
  const conflicts = results.filter((r) => r.outcome === 'conflict');
  if (conflicts.length > 0 && !options.dryRun) {
    throw new DevlakeError('DEVLAKE_E_GEN_CONFLICT', `Would overwrite ${conflicts.map((c) => c.path).join(', ')}; nothing was written`, {
      hint: 'Re-run with --force to overwrite, or --dry-run to see the list.',
      data: { results },
    });
  }
  if (options.dryRun) return results;
  const changed = results.filter((r) => r.outcome === 'created' || r.outcome === 'updated');
  if (changed.length === 0) return results;
  checkWritableRoot(options.root);
  const byPath = new Map(files.map((f) => [f.path, f]));
  const created: string[] = [];
  try {
    for (const result of changed) {
      const target = path.join(options.root, result.path);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      // Write through a temporary file so a crash never leaves a half file.
      const tmp = `${target}.${process.pid}.tmp`;
      try {
        fs.writeFileSync(tmp, byPath.get(result.path)!.content);
        fs.renameSync(tmp, target);
      } finally {
        fs.rmSync(tmp, { force: true });
      }
      if (result.outcome === 'created') created.push(target);
    }
  } catch (err) {
    // All or nothing: the files this call created go again (a disk that filled up half-way).
    for (const file of created) fs.rmSync(file, { force: true });
    throw fsWriteError(err, options.root);
  }
  return results;
}

/**
 * Fails before anything is written when the root cannot hold files: a part
 * of the path is a file, or the nearest existing directory is not writable.
 */
function checkWritableRoot(root: string): void {
  let dir = path.resolve(root);
  for (;;) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw fsWriteError(err, root);
    }
    if (stat) {
      if (!stat.isDirectory()) {
        const e = Object.assign(new Error(`ENOTDIR: not a directory, ${dir}`), { code: 'ENOTDIR', path: dir });
        throw fsWriteError(e, root);
      }
      try {
        fs.accessSync(dir, fs.constants.W_OK);
      } catch (err) {
        throw fsWriteError(err, root);
      }
      return;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

function fsWriteError(err: unknown, root: string): DevlakeError {
  const problem = environmentProblem(err);
  return new DevlakeError('DEVLAKE_E_FS_WRITE', `Cannot write the plugin files under ${root}: ${(err as Error)?.message ?? String(err)}`, {
    cause: err,
    hint: problem ? `${problem.hint} Nothing was written.` : 'Pass a writable directory with --dir. Nothing was written.',
    data: { root, path: problem?.path, verboseCause: true },
  });
}

/** One line per file, e.g. `created   tasks/committer-collector.ts`, for the CLI. */
export function formatResults(results: readonly WriteResult[], dryRun = false): string {
  const lines = results.map((r) => `${r.outcome.padEnd(9)} ${r.path}`);
  const changed = results.filter((r) => r.outcome === 'created' || r.outcome === 'updated').length;
  lines.push(
    dryRun
      ? `Dry run: ${changed} file(s) would change; nothing was written.`
      : changed === 0
        ? 'No changes.'
        : `${changed} file(s) changed.`,
  );
  return lines.join('\n');
}
