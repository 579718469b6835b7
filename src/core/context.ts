import type { Dispatcher } from 'undici';
import type { Dal } from './dal';
import type { Config } from './config';
import type { Logger } from './logger';

/** How much to collect: everything, or only what changed. */
export interface SyncPolicy {
  /** Collect everything again (`--full-sync`), replacing the previous raw data atomically. */
  fullSync: boolean;
  /** Only collect records updated after this instant (`--time-after`). */
  timeAfter?: Date;
}

/** HTTP settings the runner hands to every ApiClient of the run. */
export interface HttpSettings {
  /** `live` talks to the network; `record` also saves a cassette; `replay` answers from one. */
  mode: 'live' | 'record' | 'replay';
  /** A dispatcher that wraps or replaces the network (record/replay), when not live. */
  dispatcher?: Dispatcher;
  /** Called when a request waits more than a second (rate limit, retry), e.g. `waiting 4 min, until 08:15:02 UTC …`: the CLI shows it on the progress line. */
  onWait?(note: string): void;
}

/** What a whole task (one plugin run) shares: given to `prepareTaskData`. */
export interface TaskContext<TOptions = Record<string, unknown>> {
  /** The plugin's name, e.g. `icla`. */
  readonly pluginName: string;
  /** The task options (`--options` JSON merged with defaults). */
  readonly options: TOptions;
  /** The database. */
  readonly db: Dal;
  /** A logger scoped to the plugin. */
  readonly logger: Logger;
  /** Configuration from the environment and `.env`. */
  readonly config: Config;
  /** Aborted when the run is cancelled: stop at the next batch boundary. */
  readonly signal: AbortSignal;
  /** Full or incremental collection. */
  readonly syncPolicy: SyncPolicy;
  /** Record/replay settings for HTTP clients. */
  readonly http: HttpSettings;
  /** Shorthand for `config.get(key)`. */
  getConfig(key: string): string | undefined;
}

/** What one subtask sees: the task context plus its data and progress. */
export interface SubTaskContext<TData = unknown, TOptions = Record<string, unknown>> extends TaskContext<TOptions> {
  /** The subtask's name, e.g. `Collect Committer`. */
  readonly name: string;
  /** The task data returned by the plugin's `prepareTaskData`. */
  getData(): TData;
  /**
   * Sets absolute progress, e.g. `setProgress(3, 10, 'pages')`. `total` 0 means unknown. `unit`
   * (`pages`, `records`, `inputs`…) is shown with the numbers; default: the last one set, else none.
   */
  setProgress(current: number, total: number, unit?: string): void;
  /** Adds `n` (default 1) to the progress. */
  incProgress(n?: number): void;
  /** Records rows written to `table`, for the run summary. Helpers call it; plugin code may too. */
  addRowsWritten(table: string, n: number): void;
}
