/**
 * The body of the SQLite checkpointer thread (see checkpointer.ts). It runs in
 * a `worker_threads` Worker from its source text ({@link checkpointerThreadSource}),
 * so it uses nothing outside its own body; `require` is the worker's own.
 */

/** What the main thread sends: a request for the thread's figures (answered by its id), or the end of the thread. */
export type CheckpointerRequest = { id: number; stats: true } | { close: true };

/** What the thread has done so far. */
export interface CheckpointerStats {
  /** PASSIVE checkpoints run. */
  checkpoints: number;
  /** Checkpoints that restarted the WAL (RESTART, once it had grown past `restartFrames` and was copied whole). */
  restarts: number;
  /** Frames in the WAL at the last checkpoint, and the most seen at any one. */
  lastFrames: number;
  maxFrames: number;
  /** The first error a checkpoint met, if any (the thread keeps trying). */
  error?: string;
}

/** First the outcome of opening the database (`open`: an error message or null), then one answer per request. */
export type CheckpointerReply = { open: string | null } | { id: number; stats: CheckpointerStats };

/** Data the thread starts with. */
export interface CheckpointerThreadData {
  /** The database file; never `:memory:`. */
  filename: string;
  /** Where better-sqlite3 is, resolved by the main thread (the worker's own resolution starts from the cwd). */
  driver: string;
  /** The wait between checkpoints while the WAL grows, in ms; doubled while it does not, up to `idleMs`. */
  activeMs: number;
  idleMs: number;
  /** WAL frames past which a fully copied WAL is restarted, so that writers begin again at its start. */
  restartFrames: number;
}

/* istanbul ignore next: runs in the worker, from its source text */
function checkpointerThreadMain(): void {
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  const port = parentPort!;
  const data = workerData as CheckpointerThreadData;
  let db: import('better-sqlite3').Database;
  try {
    const Database = require(data.driver) as typeof import('better-sqlite3');
    db = new Database(data.filename, { fileMustExist: true });
    // Never wait for a lock: a checkpoint that cannot have one now is tried again at the next tick, and a
    // RESTART that waited would hold the writers back meanwhile.
    db.pragma('busy_timeout = 0');
    db.pragma('cache_size = -64');
  } catch (err) {
    port.postMessage({ open: String((err as Error)?.message ?? err) } satisfies CheckpointerReply);
    port.close();
    return;
  }
  port.postMessage({ open: null } satisfies CheckpointerReply);
  const stats: CheckpointerStats = { checkpoints: 0, restarts: 0, lastFrames: 0, maxFrames: 0 };
  let delay = data.activeMs;
  let timer: NodeJS.Timeout | undefined;
  const tick = (): void => {
    try {
      // In another journal mode this returns -1s and copies nothing: the thread idles.
      const [r] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
      // Not busy yet no WAL: this connection may have looked before the file was put in WAL mode; a read looks again.
      if (r!.busy === 0 && r!.log === -1) db.prepare('SELECT 1 FROM sqlite_schema LIMIT 1').get();
      stats.checkpoints++;
      const grew = r!.log !== stats.lastFrames;
      stats.lastFrames = r!.log;
      stats.maxFrames = Math.max(stats.maxFrames, r!.log);
      // Copied whole but long: restart it, else a writer that never pauses keeps appending to it. RESTART takes
      // the write lock (or gives up at once), copies what was committed since the PASSIVE began, syncs, and
      // gives up at once if a reader is on the WAL. Writers wait meanwhile (40-190 ms measured), once per
      // restartFrames of WAL; inline, SQLite made each committing connection copy every 1,000 pages (170 ms at
      // the end of a 100,000-row commit, on the event loop for the run's own).
      if (r!.log >= data.restartFrames && r!.checkpointed === r!.log) {
        const [x] = db.pragma('wal_checkpoint(RESTART)') as Array<{ busy: number }>;
        if (x!.busy === 0) stats.restarts++;
      }
      delay = grew ? data.activeMs : Math.min(delay * 2, data.idleMs);
    } catch (err) {
      stats.error ??= String((err as Error)?.message ?? err);
      delay = data.idleMs;
    }
    timer = setTimeout(tick, delay);
  };
  timer = setTimeout(tick, delay);
  port.on('message', (req: CheckpointerRequest) => {
    if ('close' in req) {
      clearTimeout(timer);
      db.close();
      port.close();
      return;
    }
    port.postMessage({ id: req.id, stats: { ...stats } } satisfies CheckpointerReply);
  });
}

/** The thread's source, for `new Worker(source, { eval: true })`: no file to find in dist/ or under a test runner. */
export const checkpointerThreadSource = `(${checkpointerThreadMain.toString()})();`;
