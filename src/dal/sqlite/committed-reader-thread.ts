/**
 * The body of the SQLite committed-rows reader thread (see
 * committed-reader.ts). It runs in a `worker_threads` Worker from its source
 * text ({@link committedReaderThreadSource}), so it uses nothing outside its
 * own body; `require` is the worker's own.
 */

/** A keyset scan: the first page's statement, the next pages' (bound after the last key), `pageSize` rows each. */
export interface CommittedScan {
  /** The first page: the query ordered by the key, limited to `pageSize`. */
  firstSql: string;
  firstBindings: unknown[];
  /** A next page: the same with `key > ?`; `lastAt` is the index of that `?` in `nextBindings`. */
  nextSql: string;
  nextBindings: unknown[];
  lastAt: number;
  /** The key's property in a row (the column name without its table). */
  key: string;
  pageSize: number;
  /**
   * An Int32 on shared memory: pages the thread may still send before the main thread takes more (the main
   * thread adds one per page taken, and sets it negative to stop the scan). A shared counter rather than a
   * message per page: on a busy machine each message cost the event loop ~1 ms of CPU.
   */
  credits: SharedArrayBuffer;
}

/** What the main thread sends: start a scan (stopped through its credits), or end the thread. */
export type CommittedReaderRequest = { id: number; scan: CommittedScan } | { close: true };

/** A failure as the thread reports it: the driver's message and code (e.g. `SQLITE_ERROR`). */
export interface CommittedReaderError {
  message: string;
  code?: string;
}

/**
 * One page of a scan, column by column (cheaper to clone than row arrays):
 * `columns[c]` holds column c's value for every row, or `constant[c]` is its
 * one value in every row (then `columns[c]` is empty). `names` comes with the
 * first page. `done`: no page follows.
 */
export interface CommittedPage {
  id: number;
  rows: number;
  names?: string[];
  columns: unknown[][];
  constant: Array<{ value: unknown } | null>;
  done: boolean;
}

/** First the outcome of opening the database (`open`), then pages and failures by scan id. */
export type CommittedReaderReply = { open: CommittedReaderError | null } | CommittedPage | { id: number; error: CommittedReaderError };

/** Data the thread starts with. */
export interface CommittedReaderThreadData {
  /** The database file; never `:memory:` (another connection could not see it). */
  filename: string;
  /** Where better-sqlite3 is, resolved by the main thread (the worker's own resolution starts from the cwd). */
  driver: string;
  busyTimeoutMs: number;
}

/** ES2024's `Atomics.waitAsync` (V8 has it since Node 16), beyond this project's TypeScript lib. */
interface AtomicsWaitAsync {
  waitAsync(array: Int32Array, index: number, value: number): { async: false; value: string } | { async: true; value: Promise<string> };
}

/* istanbul ignore next: runs in the worker, from its source text */
function committedReaderThreadMain(): void {
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  const port = parentPort!;
  const data = workerData as CommittedReaderThreadData;
  const errorOf = (err: unknown): CommittedReaderError => {
    const e = err as { message?: unknown; code?: unknown };
    return { message: String(e?.message ?? err), ...(typeof e?.code === 'string' ? { code: e.code } : {}) };
  };
  let db: import('better-sqlite3').Database;
  try {
    const Database = require(data.driver) as typeof import('better-sqlite3');
    db = new Database(data.filename, { readonly: true, fileMustExist: true });
    // Only in WAL do a reader and the writer not wait on each other: in a rollback journal this
    // connection's read lock would keep the extraction's COMMIT waiting while it waits for pages to be taken.
    const mode = db.pragma('journal_mode', { simple: true });
    if (mode !== 'wal') throw new Error(`the database is not in WAL mode (${String(mode)})`);
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(data.busyTimeoutMs))}`);
    // A small page cache (512 KB): this connection reads each page once, in order.
    db.pragma('cache_size = -512');
  } catch (err) {
    port.postMessage({ open: errorOf(err) } satisfies CommittedReaderReply);
    port.close();
    return;
  }
  port.postMessage({ open: null } satisfies CommittedReaderReply);

  interface Scan {
    spec: CommittedScan;
    first: import('better-sqlite3').Statement;
    next: import('better-sqlite3').Statement;
    keyAt: number;
    width: number;
    last: unknown;
    sent: number;
    credits: Int32Array;
  }
  const scans = new Map<number, Scan>();
  // One read transaction while any scan is open: every page of a scan from one snapshot, as in the writer's transaction.
  const end = (id: number) => {
    if (!scans.delete(id)) return;
    if (scans.size === 0 && db.inTransaction) db.exec('COMMIT');
  };
  const page = (id: number, scan: Scan) => {
    const stmt = scan.sent === 0 ? scan.first : scan.next;
    const bindings = scan.sent === 0 ? scan.spec.firstBindings : scan.spec.nextBindings.slice();
    if (scan.sent > 0) bindings[scan.spec.lastAt] = scan.last;
    const rows = stmt.all(bindings) as unknown[][];
    const width = scan.width;
    const columns: unknown[][] = new Array(width);
    const constant: Array<{ value: unknown } | null> = new Array(width);
    for (let c = 0; c < width; c++) {
      const v0 = rows.length > 0 ? rows[0]![c] : undefined;
      let same = rows.length > 1 && (v0 === null || typeof v0 !== 'object');
      for (let r = 1; same && r < rows.length; r++) same = rows[r]![c] === v0;
      if (same) {
        constant[c] = { value: v0 };
        columns[c] = [];
        continue;
      }
      constant[c] = null;
      const col = new Array<unknown>(rows.length);
      for (let r = 0; r < rows.length; r++) col[r] = rows[r]![c];
      columns[c] = col;
    }
    // Without the key in the rows no next page can be asked for: the main thread reports that on the first page.
    const done = rows.length < scan.spec.pageSize || scan.keyAt < 0;
    if (!done) scan.last = rows[rows.length - 1]![scan.keyAt];
    const reply: CommittedPage = { id, rows: rows.length, columns, constant, done };
    if (scan.sent === 0) reply.names = stmt.columns().map((c) => c.name);
    scan.sent++;
    Atomics.sub(scan.credits, 0, 1);
    if (done) end(id); // the snapshot is let go as soon as it has been read, not when the pages are used
    port.postMessage(reply satisfies CommittedReaderReply);
    return done;
  };
  const pump = (id: number): void => {
    const scan = scans.get(id);
    if (!scan) return;
    try {
      for (let left = Atomics.load(scan.credits, 0); left > 0; left = Atomics.load(scan.credits, 0)) if (page(id, scan)) return;
    } catch (err) {
      end(id);
      port.postMessage({ id, error: errorOf(err) } satisfies CommittedReaderReply);
      return;
    }
    if (Atomics.load(scan.credits, 0) < 0) return end(id); // stopped by the main thread
    // Waits for credits without blocking: the thread's event loop still takes the next scan or the close.
    const wait = (Atomics as unknown as AtomicsWaitAsync).waitAsync(scan.credits, 0, 0);
    if (wait.async) void wait.value.then(() => pump(id));
    else pump(id);
  };
  port.on('message', (req: CommittedReaderRequest) => {
    if ('close' in req) {
      for (const id of [...scans.keys()]) end(id);
      db.close();
      port.close();
      return;
    }
    // Scans the main thread has stopped (credits < 0) end first, so a scan never starts in the snapshot of an
    // earlier one whose stop this thread has not seen yet: it would miss rows committed since.
    for (const [id, scan] of scans) if (Atomics.load(scan.credits, 0) < 0) end(id);
    try {
      const first = db.prepare(req.scan.firstSql).raw(true);
      const next = db.prepare(req.scan.nextSql).raw(true);
      const keyAt = first.columns().findIndex((c) => c.name === req.scan.key);
      if (!db.inTransaction) db.exec('BEGIN');
      scans.set(req.id, { spec: req.scan, first, next, keyAt, width: first.columns().length, last: undefined, sent: 0, credits: new Int32Array(req.scan.credits) });
    } catch (err) {
      port.postMessage({ id: req.id, error: errorOf(err) } satisfies CommittedReaderReply);
      return;
    }
    pump(req.id);
  });
}

/** The thread's source, for `new Worker(source, { eval: true })`: no file to find in dist/ or under a test runner. */
export const committedReaderThreadSource = `(${committedReaderThreadMain.toString()})();`;
