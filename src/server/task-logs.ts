import type { Dal } from '../core/dal';
import type { Logger } from '../core/logger';
import { TaskLogWriter, taskLogger } from '../pipeline/task-log';

/** Lines kept in memory per task; older ones are dropped (the first kept line says so). */
export const MAX_LINES_PER_TASK = 5_000;
/** Tasks whose logs are kept in memory; the oldest finished task is forgotten first. */
export const MAX_TASKS_KEPT = 200;

interface TaskLog {
  /** A task of this process: its logger was handed out. */
  local: boolean;
  lines: string[];
  dropped: number;
  finished?: string;
  listeners: Set<(event: TaskLogEvent) => void>;
  writer?: TaskLogWriter;
}

/** What a subscriber of a task's log receives. */
export type TaskLogEvent = { type: 'log'; line: string } | { type: 'end'; status: string };

/**
 * The log lines of the tasks this server runs, for `GET /tasks/:id/logs`
 * (server-sent events): each task gets a logger that writes redacted lines
 * (`[time] LEVEL [plugin] [subtask] message`, the CLI's shape) here and to the
 * server's own logger, and listeners are told of each line and of the end.
 * With `dal`, the lines are also stored (`_devlake_ts_task_logs`), for other
 * server processes and after a restart.
 */
export class TaskLogHub {
  readonly #tasks = new Map<number, TaskLog>();
  readonly #dal?: Dal;

  constructor(opts: { dal?: Dal } = {}) {
    this.#dal = opts.dal;
  }

  /** The logger of one task; lines also go to `parent` (the server log). */
  loggerFor(taskId: number, parent: Logger, scope: { plugin?: string; subtask?: string } = {}): Logger {
    const log = this.#log(taskId);
    log.local = true;
    log.finished = undefined; // a rerun: the task runs again, its earlier lines stay
    const dal = this.#dal;
    if (dal) log.writer ??= new TaskLogWriter(dal, taskId, (err) => parent.warn(`task ${taskId}: its log cannot be stored: ${err.message}`));
    return taskLogger(taskId, Object.keys(scope).length ? parent.child(scope) : parent, (line) => this.#append(taskId, line), scope);
  }

  /** Writes the task's stored lines still pending (before its end is announced). */
  async flush(taskId: number): Promise<void> {
    await this.#tasks.get(taskId)?.writer?.flush(true);
  }

  /** Marks a task's log complete; listeners get the end event. */
  finish(taskId: number, status: string): void {
    const log = this.#log(taskId);
    log.finished = status;
    log.writer = undefined;
    for (const l of log.listeners) l({ type: 'end', status });
    log.listeners.clear();
    this.#trim();
  }

  /** True when this process runs (or ran) the task. */
  isLocal(taskId: number): boolean {
    return this.#tasks.get(taskId)?.local === true;
  }

  /** True when this server holds (or held) a log for the task. */
  has(taskId: number): boolean {
    return this.#tasks.has(taskId);
  }

  /**
   * Replays the lines so far to `listener`, then each new one until the task
   * ends (or `unsubscribe` is called). Returns the unsubscribe function.
   */
  subscribe(taskId: number, listener: (event: TaskLogEvent) => void): () => void {
    const log = this.#log(taskId);
    if (log.dropped) listener({ type: 'log', line: `(${log.dropped} earlier lines dropped)` });
    for (const line of log.lines) listener({ type: 'log', line });
    if (log.finished !== undefined) {
      listener({ type: 'end', status: log.finished });
      return () => undefined;
    }
    log.listeners.add(listener);
    return () => log.listeners.delete(listener);
  }

  #log(taskId: number): TaskLog {
    let log = this.#tasks.get(taskId);
    if (!log) {
      log = { local: false, lines: [], dropped: 0, listeners: new Set() };
      this.#tasks.set(taskId, log);
    }
    return log;
  }

  #append(taskId: number, line: string): void {
    const log = this.#log(taskId);
    log.writer?.write(line);
    log.lines.push(line);
    if (log.lines.length > MAX_LINES_PER_TASK) {
      log.lines.shift();
      log.dropped++;
    }
    for (const l of log.listeners) l({ type: 'log', line });
  }

  #trim(): void {
    for (const [id, log] of this.#tasks) {
      if (this.#tasks.size <= MAX_TASKS_KEPT) break;
      if (log.finished !== undefined) this.#tasks.delete(id);
    }
  }
}
