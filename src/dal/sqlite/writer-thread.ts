/**
 * The body of the SQLite writer thread (see thread-writer.ts). It runs in a
 * `worker_threads` Worker from its source text (`writerThreadSource`), so it
 * must not use anything outside its own body: no imports, no closures over
 * module state; `require` is the worker's own.
 */

/** A numbered SQL text, sent the first time only (a 500-row INSERT's text is ~10 KB), and its values. */
export type NumberedSql = [id: number, sql: string | undefined];

/**
 * What the main thread sends: statements run in order, each bound to
 * `values[from..to)` (one reply a request, in order), or the end of the thread.
 */
export type WriterRequest =
  | { statements: Array<[...NumberedSql, from: number, to: number]>; values: unknown[]; always?: boolean }
  | { close: true };

/** The answer to each statements request, in request order. */
export interface WriterReply {
  error?: { message: string; code?: string };
  /** Not run: an earlier request failed (the transaction is about to be rolled back). */
  skipped?: true;
}

/** Data the thread starts with. */
export interface WriterThreadData {
  /** The database file (never `:memory:`: another connection could not see it). */
  filename: string;
  /** Where better-sqlite3 is, resolved by the main thread (the worker's own resolution starts from the cwd). */
  driver: string;
}

/* istanbul ignore next: runs in the worker, from its source text */
function writerThreadMain(): void {
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  const port = parentPort!;
  const data = workerData as WriterThreadData;
  const Database = require(data.driver) as typeof import('better-sqlite3');
  const db = new Database(data.filename);
  // The main connection made the file WAL (a persistent setting); these two are per connection, as in client.ts.
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  // SQLite's own default page cache (2 MB), not better-sqlite3's 16 MB: this connection only appends and looks up
  // keys, and a second 16 MB cache was most of what the thread added to the peak memory (memory_scaling).
  db.pragma('cache_size = -2000');
  const statements = new Map<number, import('better-sqlite3').Statement>();
  const statement = (id: number, sql: string | undefined) => {
    let stmt = statements.get(id);
    if (!stmt) {
      stmt = db.prepare(sql!);
      statements.set(id, stmt);
    }
    return stmt;
  };
  const errorOf = (err: unknown) => {
    const e = err as { message?: unknown; code?: unknown };
    return { message: String(e?.message ?? err), ...(typeof e?.code === 'string' ? { code: e.code } : {}) };
  };
  let failed = false;
  port.on('message', (req: WriterRequest) => {
    if ('close' in req) {
      db.close();
      port.close();
      return;
    }
    if (failed && req.always !== true) {
      port.postMessage({ skipped: true } satisfies WriterReply);
      return;
    }
    try {
      const values = req.values;
      for (const [id, sql, from, to] of req.statements) {
        statement(id, sql).run(from === 0 && to === values.length ? values : values.slice(from, to));
      }
      port.postMessage({} satisfies WriterReply);
    } catch (err) {
      failed = true;
      port.postMessage({ error: errorOf(err) } satisfies WriterReply);
    }
  });
}

/** The thread's source, for `new Worker(source, { eval: true })`: no file to find in dist/ or under a test runner. */
export const writerThreadSource = `(${writerThreadMain.toString()})();`;
