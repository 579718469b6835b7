import type { Config } from './config';
import type { HttpSettings, SubTaskContext, SyncPolicy, TaskContext } from './context';
import type { Logger } from './logger';
import type { Dal } from './dal';

/** What is needed to build a TaskContext. */
export interface TaskContextInit<TOptions> {
  pluginName: string;
  options: TOptions;
  db: Dal;
  logger: Logger;
  config: Config;
  signal?: AbortSignal;
  syncPolicy?: SyncPolicy;
  http?: HttpSettings;
}

/** Builds the context shared by a whole task. */
export function createTaskContext<TOptions>(init: TaskContextInit<TOptions>): TaskContext<TOptions> {
  return {
    pluginName: init.pluginName,
    options: init.options,
    db: init.db,
    logger: init.logger,
    config: init.config,
    signal: init.signal ?? new AbortController().signal,
    syncPolicy: init.syncPolicy ?? { fullSync: false },
    http: init.http ?? { mode: 'live' },
    getConfig: (key: string) => init.config.get(key),
  };
}

/** Progress and row counters of one subtask, as the runner reads them. */
export interface SubTaskProgress {
  current: number;
  total: number;
  /** What is counted (`pages`, `records`…), when the subtask said. */
  unit?: string;
  rowsWritten: Map<string, number>;
}

/** Hooks the runner uses to observe a subtask (progress display). */
export interface SubTaskHooks {
  onProgress?(progress: SubTaskProgress): void;
}

/** Builds the context of one subtask; returns it with its live progress record. */
export function createSubTaskContext<TData, TOptions>(
  task: TaskContext<TOptions>,
  name: string,
  data: TData,
  hooks: SubTaskHooks = {},
): { ctx: SubTaskContext<TData, TOptions>; progress: SubTaskProgress } {
  const progress: SubTaskProgress = { current: 0, total: 0, rowsWritten: new Map() };
  const ctx: SubTaskContext<TData, TOptions> = {
    ...task,
    name,
    logger: task.logger.child({ subtask: name }),
    getData: () => data,
    setProgress(current: number, total: number, unit?: string) {
      progress.current = current;
      progress.total = total;
      if (unit !== undefined) progress.unit = unit;
      hooks.onProgress?.(progress);
    },
    incProgress(n = 1) {
      progress.current += n;
      hooks.onProgress?.(progress);
    },
    addRowsWritten(table: string, n: number) {
      progress.rowsWritten.set(table, (progress.rowsWritten.get(table) ?? 0) + n);
    },
  };
  return { ctx, progress };
}
