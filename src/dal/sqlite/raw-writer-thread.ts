import { runRawCommit, type RawCommitJob } from './raw-commit';

/**
 * The body of the SQLite raw writer thread (see raw-writer.ts). It runs in a
 * `worker_threads` Worker from its source text ({@link rawWriterThreadSource}),
 * so it uses nothing outside its own body but {@link runRawCommit}, whose
 * source goes with it as an argument; `require` is the worker's own.
 */

/** What the main thread sends: a commit to run (answered by its id, in order), or the end of the thread. */
export type RawWriterRequest = { id: number; job: RawCommitJob } | { close: true };

/** A failure as the thread reports it: the driver's message and code (e.g. `SQLITE_BUSY`). */
export interface RawWriterError {
  message: string;
  code?: string;
}

/** First the outcome of opening the database (`open`), then one answer per commit. */
export type RawWriterReply = { open: RawWriterError | null } | { id: number; error?: RawWriterError };

/** Data the thread starts with. */
export interface RawWriterThreadData {
  /** The database file; never `:memory:` (another connection could not see it). */
  filename: string;
  /** Where better-sqlite3 is, resolved by the main thread (the worker's own resolution starts from the cwd). */
  driver: string;
  /** How long a commit waits for SQLite's write lock (held by another connection) before failing with SQLITE_BUSY. */
  busyTimeoutMs: number;
  /** The connection's `wal_autocheckpoint` when the file has a checkpointer thread (see checkpointer.ts); SQLite's default otherwise. */
  walAutocheckpoint?: number;
}

/**
 * `run` is {@link runRawCommit}, passed in: an imported name here would be
 * compiled to a module lookup the thread does not have.
 */
/* istanbul ignore next: runs in the worker, from its source text */
function rawWriterThreadMain(run: typeof runRawCommit): void {
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  const port = parentPort!;
  const data = workerData as RawWriterThreadData;
  const errorOf = (err: unknown): RawWriterError => {
    const e = err as { message?: unknown; code?: unknown };
    return { message: String(e?.message ?? err), ...(typeof e?.code === 'string' ? { code: e.code } : {}) };
  };
  let db: import('better-sqlite3').Database;
  try {
    const Database = require(data.driver) as typeof import('better-sqlite3');
    db = new Database(data.filename, { fileMustExist: true });
    // WAL (set by the main connection, a property of the file) is what lets it read what this one commits.
    const mode = db.pragma('journal_mode', { simple: true });
    if (mode !== 'wal') throw new Error(`the database is not in WAL mode (${String(mode)})`);
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(data.busyTimeoutMs))}`);
    db.pragma('synchronous = NORMAL');
    if (data.walAutocheckpoint !== undefined) db.pragma(`wal_autocheckpoint = ${Math.floor(data.walAutocheckpoint)}`);
    // SQLite's default page cache (2 MB), not better-sqlite3's 16 MB: this connection only appends.
    db.pragma('cache_size = -2000');
  } catch (err) {
    port.postMessage({ open: errorOf(err) } satisfies RawWriterReply);
    port.close();
    return;
  }
  port.postMessage({ open: null } satisfies RawWriterReply);
  const statements = new Map<string, import('better-sqlite3').Statement>();
  const prepare = (sql: string) => {
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      statements.set(sql, stmt);
    }
    return stmt;
  };
  // Collections with a failed commit: their later commits, already queued behind it, are refused (see runRawCommit).
  const failedChains = new Set<string>();
  port.on('message', (req: RawWriterRequest) => {
    if ('close' in req) {
      db.close();
      port.close();
      return;
    }
    try {
      run(db, prepare, req.job, failedChains);
      port.postMessage({ id: req.id } satisfies RawWriterReply);
    } catch (err) {
      port.postMessage({ id: req.id, error: errorOf(err) } satisfies RawWriterReply);
    }
  });
}

/** The thread's source, for `new Worker(source, { eval: true })`: no file to find in dist/ or under a test runner. */
export const rawWriterThreadSource = `(${rawWriterThreadMain.toString()})(${runRawCommit.toString()});`;
