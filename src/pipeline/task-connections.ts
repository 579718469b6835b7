import type { Dal } from '../core/dal';
import type { Logger } from '../core/logger';

/** Idle connection sets kept for the next tasks; more are closed. */
const MAX_IDLE = 4;

/**
 * Database connections for the tasks one process runs: a task takes a set of
 * its own (a task holds a session for its run lock, so parallel tasks on one
 * pool would starve it) and gives it back when it ends, for the next task.
 * Opening a set per task cost a worker more than its queries: new server
 * sessions with cold catalog caches, about half of a short task's time. A
 * task that failed closes its set instead: its connections may be what failed.
 */
export class TaskConnections {
  readonly #url: string;
  readonly #cwd: string | undefined;
  readonly #logger: Logger;
  readonly #idle: Dal[] = [];
  #closed = false;

  constructor(url: string, options: { cwd?: string; logger: Logger }) {
    this.#url = url;
    this.#cwd = options.cwd;
    this.#logger = options.logger;
  }

  /** An idle set, or a new one. */
  async take(): Promise<Dal> {
    const idle = this.#idle.pop();
    if (idle) return idle;
    const { createDal } = require('../dal/connect') as typeof import('../dal/connect');
    return createDal(this.#url, { cwd: this.#cwd, onDriverMessage: (level, message) => this.#logger.debug(`database ${level}: ${message}`) });
  }

  /** Gives a set back after its task: kept for the next task when `reusable`, else (or once closed, or beyond the idle limit) closed. */
  async give(dal: Dal, reusable: boolean): Promise<void> {
    if (reusable && !this.#closed && this.#idle.length < MAX_IDLE) this.#idle.push(dal);
    else await dal.close();
  }

  /** Closes the idle sets; a set given back later is closed then. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#idle.splice(0).map((d) => d.close()));
  }
}
