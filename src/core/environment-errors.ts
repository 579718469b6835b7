/**
 * Failures of the environment rather than of the code: a full disk, a
 * read-only file, a file that is not a database, a path that is not a
 * directory. Each gets a hint about that cause, whatever raised it (the file
 * system, SQLite, Postgres), instead of the hint of the step that ran into it
 * ("Fix the script", "check the database server is running").
 */

/** What went wrong in the environment, with the hint that fits. */
export interface EnvironmentProblem {
  kind: 'disk-full' | 'read-only' | 'permission' | 'not-a-database' | 'cannot-open' | 'not-a-directory' | 'is-a-directory' | 'no-such-path';
  hint: string;
  /** The path involved, when the error names one. */
  path?: string;
}

/** The environment problem behind `err` (or an error in its cause chain), or undefined. */
export function environmentProblem(err: unknown): EnvironmentProblem | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const found = classify(e as { code?: unknown; message?: unknown; path?: unknown });
    if (found) return found;
  }
  return undefined;
}

function classify(e: { code?: unknown; message?: unknown; path?: unknown }): EnvironmentProblem | undefined {
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';
  const path = typeof e.path === 'string' ? e.path : undefined;
  const at = path ? ` (${path})` : '';
  if (code === 'ENOSPC' || code === 'SQLITE_FULL' || code === '53100' || /no space left on device|database or disk is full/i.test(message)) {
    return { kind: 'disk-full', path, hint: `The disk is full${at}: free some space, then run the same command again (the failed step was rolled back).` };
  }
  if (code === 'EROFS' || code.startsWith('SQLITE_READONLY') || code === '25006' || /readonly database|read-only file system|read-only transaction/i.test(message)) {
    return { kind: 'read-only', path, hint: `The file or its file system is read-only${at}: make it writable, or point DB_URL / --db / --dir at a writable place.` };
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return { kind: 'permission', path, hint: `Permission denied${at}: check the owner and mode of the path, or use another one.` };
  }
  if (code === 'SQLITE_NOTADB' || /file is not a database/i.test(message)) {
    return { kind: 'not-a-database', path, hint: 'The file is not a SQLite database: point DB_URL (or --db) at a SQLite file, or at a new path to create one.' };
  }
  if (code === 'SQLITE_CANTOPEN' || /unable to open database file/i.test(message)) {
    return { kind: 'cannot-open', path, hint: "SQLite cannot open the file: check that its directory exists and is writable, and that the path is not a directory." };
  }
  if (code === 'ENOTDIR') return { kind: 'not-a-directory', path, hint: `A part of the path is a file, not a directory${at}: pass a directory.` };
  if (code === 'EISDIR') return { kind: 'is-a-directory', path, hint: `The path is a directory, not a file${at}: pass a file path.` };
  if (code === 'ENOENT' && path) return { kind: 'no-such-path', path, hint: `No such file or directory${at}: check the path.` };
  return undefined;
}
