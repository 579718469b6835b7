import type { Dal } from '../core/dal';
import type { Logger, LogLevel } from '../core/logger';
import { redact } from '../core/redact';
import { TASK_LOGS_TABLE } from '../dal/server-tables';
import { bookkeepingWrite } from '../dal/bookkeeping-write';

/** Lines stored per task; past it one line says how many more were not stored. */
export const MAX_STORED_LINES_PER_TASK = 20_000;
/** Lines written at most this long after they were logged (a reader polls the table). */
const FLUSH_MS = 250;
const FLUSH_LINES = 200;

const pad = (n: number) => String(n).padStart(2, '0');
const stamp = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;

/** Where a task's logger sends a line, and its scope. */
type Scope = { plugin?: string; subtask?: string };

/**
 * The logger of one pipeline task: each line (`[time] LEVEL [plugin]
 * [subtask] message`, the CLI's shape, redacted) goes to `sink`, and the
 * message also to `parent` (the process log) prefixed with the task id.
 * Debug lines stay out of the task log, as in the CLI at its default level.
 */
export function taskLogger(taskId: number, parent: Logger, sink: (line: string) => void, scope: Scope = {}): Logger {
  const write = (level: LogLevel) => (message: string, meta?: Record<string, unknown>) => {
    const text = meta && Object.keys(meta).length ? `${message} ${JSON.stringify(meta)}` : message;
    const where = [scope.plugin && `[${scope.plugin}]`, scope.subtask && `[${scope.subtask}]`].filter(Boolean).join(' ');
    sink(redact(`[${stamp(new Date())}] ${level.toUpperCase()} ${where ? `${where} ` : ''}${text}`));
    parent[level](redact(`task ${taskId}: ${text}`));
  };
  return {
    error: write('error'),
    warn: write('warn'),
    info: write('info'),
    debug: () => undefined,
    child: (more) => taskLogger(taskId, parent.child(more), sink, { ...scope, ...more }),
  };
}

/**
 * Stores a task's log lines in `_devlake_ts_task_logs`, in batches, so
 * `GET /tasks/:id/logs` works from any server process, after a restart, and
 * for tasks run by queue workers. Lines arrive redacted. A failed write is
 * reported once to `onError` and never fails the task.
 */
export class TaskLogWriter {
  readonly #dal: Dal;
  readonly #taskId: number;
  readonly #onError: (err: Error) => void;
  #pending: string[] = [];
  #stored = 0;
  #skipped = 0;
  #timer?: NodeJS.Timeout;
  #writing: Promise<void> = Promise.resolve();
  #failed = false;

  constructor(dal: Dal, taskId: number, onError: (err: Error) => void = () => undefined) {
    this.#dal = dal;
    this.#taskId = taskId;
    this.#onError = onError;
  }

  /** Queues a line; written within FLUSH_MS. */
  write(line: string): void {
    if (this.#stored + this.#pending.length >= MAX_STORED_LINES_PER_TASK) {
      this.#skipped++;
      return;
    }
    this.#pending.push(line);
    if (this.#pending.length >= FLUSH_LINES) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  }

  /** Writes what is queued (and, at the end, how many lines were not stored); resolves when written. */
  async flush(final = false): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const lines = this.#pending;
    this.#pending = [];
    if (final && this.#skipped) lines.push(`(${this.#skipped} more lines not stored: a task keeps its first ${MAX_STORED_LINES_PER_TASK})`);
    this.#stored += lines.length;
    const now = new Date();
    this.#writing = this.#writing.then(async () => {
      if (!lines.length) return;
      try {
        for (let i = 0; i < lines.length; i += 100) {
          const rows = lines.slice(i, i + 100).map((line) => ({ task_id: this.#taskId, line, created_at: now }));
          await bookkeepingWrite(this.#dal, (knex) => knex(TASK_LOGS_TABLE).insert(rows));
        }
      } catch (err) {
        if (!this.#failed) this.#onError(err as Error);
        this.#failed = true;
      }
    });
    await this.#writing;
  }
}

/** A task's stored lines after line id `afterId`, oldest first. */
export async function readTaskLog(dal: Dal, taskId: number, afterId = 0, limit = 1000): Promise<Array<{ id: number; line: string }>> {
  if (!(await dal.hasTable(TASK_LOGS_TABLE))) return [];
  const rows = (await dal.knex(TASK_LOGS_TABLE).where('task_id', taskId).andWhere('id', '>', afterId).orderBy('id').limit(limit).select('id', 'line')) as Array<{ id: number | string; line: string }>;
  return rows.map((r) => ({ id: Number(r.id), line: r.line }));
}
