import { Worker } from 'node:worker_threads';
import {
  checkpointerThreadSource,
  type CheckpointerReply,
  type CheckpointerRequest,
  type CheckpointerStats,
  type CheckpointerThreadData,
} from './checkpointer-thread';

/**
 * `wal_autocheckpoint` of the connections of a file that has a checkpointer:
 * 16,384 pages (64 MB at 4 KB a page) instead of SQLite's 1,000. A commit
 * checkpoints inline only past that: below it commits do not copy at all, and
 * should the thread stop the WAL stays bounded. Should it only fall behind,
 * the bound is loose: an inline checkpoint that meets the thread's is skipped.
 */
export const WAL_AUTOCHECKPOINT_WITH_CHECKPOINTER = 16_384;

/** Options of a checkpointer; the defaults are those of the Dal. */
export interface CheckpointerOptions {
  /** Wait between checkpoints while the WAL grows (ms); doubled while it does not, up to `idleMs`. Default 20 / 1,000. */
  activeMs?: number;
  idleMs?: number;
  /** WAL frames past which a WAL already copied whole is restarted. Default 4,096 (16 MB at 4 KB a page). */
  restartFrames?: number;
}

/**
 * A worker thread with its own connection that checkpoints the database's
 * WAL (copies committed pages into the file) while the run goes on. SQLite
 * checkpoints in the connection that commits, once the WAL passes 1,000
 * pages: a commit of 100,000 rows (an extraction, a conversion) spent about
 * 170 ms of its 190 copying 34 MB, on the event loop, and the raw writer
 * thread copied the ~100 MB of a 100,000-record collection between its
 * commits. Here the copy runs on another core,
 * beside the work that follows. The thread keeps no process alive. A
 * `wal_checkpoint` run on another connection meanwhile may find the thread's
 * under way: SQLite then answers busy at once, without waiting; try again.
 */
export class SqliteCheckpointer {
  readonly #worker: Worker;
  readonly #opened: Promise<string | null>;
  readonly #exited: Promise<void>;
  readonly #asks = new Map<number, (stats: CheckpointerStats | undefined) => void>();
  #nextId = 0;
  #stopped = false;
  #isOpen = false;
  #closing = false;

  constructor(filename: string, options: CheckpointerOptions = {}) {
    const data: CheckpointerThreadData = {
      filename,
      driver: require.resolve('better-sqlite3'),
      activeMs: options.activeMs ?? 20,
      idleMs: options.idleMs ?? 1000,
      restartFrames: options.restartFrames ?? 4096,
    };
    // It holds no data: the smallest heap V8 takes, so the thread costs little resident memory. No execArgv: a
    // preload given to node (`-r`, an APM agent, a profiler) is for the run, not for this thread.
    this.#worker = new Worker(checkpointerThreadSource, {
      eval: true,
      execArgv: [],
      workerData: data,
      resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 },
    });
    this.#worker.unref();
    let opened!: (outcome: string | null) => void;
    this.#opened = new Promise((resolve) => (opened = resolve));
    this.#worker.on('message', (reply: CheckpointerReply) => {
      if ('open' in reply) {
        this.#isOpen = reply.open === null;
        opened(reply.open);
      } else this.#answer(reply.id, reply.stats);
    });
    this.#worker.on('error', () => this.#stop());
    this.#worker.on('messageerror', () => {
      this.#stop();
      void this.#worker.terminate();
    });
    this.#exited = new Promise((resolve) => {
      this.#worker.once('exit', () => {
        this.#stop();
        opened('the SQLite checkpointer thread stopped before opening the database');
        resolve();
      });
    });
  }

  /** Resolves true once the thread has opened the database, false when it could not (or stopped first). */
  async ready(): Promise<boolean> {
    return (await this.#opened) === null;
  }

  /** True once the thread has ended. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** What the thread has done so far; undefined once it has stopped. */
  stats(): Promise<CheckpointerStats | undefined> {
    if (this.#stopped) return Promise.resolve(undefined);
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#asks.set(id, resolve);
      this.#worker.ref();
      this.#worker.postMessage({ id, stats: true } satisfies CheckpointerRequest);
    });
  }

  /**
   * Ends the thread and closes its connection. A thread still starting is
   * stopped outright: a short-lived Dal (a CLI command, a test) does not wait
   * for it to load the driver only to close.
   */
  async close(): Promise<void> {
    if (!this.#stopped) {
      this.#closing = true;
      this.#worker.ref();
      if (this.#isOpen) this.#worker.postMessage({ close: true } satisfies CheckpointerRequest);
      else void this.#worker.terminate();
    }
    await this.#exited;
  }

  #answer(id: number, stats: CheckpointerStats | undefined): void {
    this.#asks.get(id)?.(stats);
    this.#asks.delete(id);
    // Once closing, the thread stays referenced until it has ended (close() awaits that).
    if (this.#asks.size === 0 && !this.#closing) this.#worker.unref();
  }

  #stop(): void {
    this.#stopped = true;
    for (const ask of this.#asks.values()) ask(undefined);
    this.#asks.clear();
  }
}

/** Per knex client: its checkpointer, or null once the client is destroyed (a connection opened meanwhile starts none). */
const checkpointers = new WeakMap<object, SqliteCheckpointer | null>();

/**
 * Starts the checkpointer of `client`'s database file, once per client (the
 * pool may open its connection again); false where there is none (the
 * client is being destroyed, or no thread can be had), and the connections
 * checkpoint as SQLite does by default.
 */
export function startSqliteCheckpointer(client: object, filename: string): boolean {
  const running = checkpointers.get(client);
  if (running === null) return false;
  if (running && !running.stopped) return true;
  try {
    checkpointers.set(client, new SqliteCheckpointer(filename));
    return true;
  } catch {
    // No thread to be had (a thread limit, memory).
    return false;
  }
}

/** The running checkpointer of a knex client, if any. */
export function sqliteCheckpointerOf(client: object): SqliteCheckpointer | undefined {
  const running = checkpointers.get(client);
  return running && !running.stopped ? running : undefined;
}

/** Ends the checkpointer of a knex client, if it has one: when the knex is destroyed. */
export async function closeSqliteCheckpointer(client: object): Promise<void> {
  const running = checkpointers.get(client);
  checkpointers.set(client, null);
  if (running) await running.close();
}
