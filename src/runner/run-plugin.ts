import { DevlakeError } from '../core/errors';
import type { Config } from '../core/config';
import type { SyncPolicy } from '../core/context';
import type { Dal } from '../core/dal';
import type { Logger } from '../core/logger';
import type { ProgressDisplay } from './progress';
import type { RunResult } from './run-task';

/** What `runPlugin` needs: the plugin's name and the run's settings; everything else it finds or opens itself. */
export interface RunPluginOptions {
  /** The plugin's name on the search path (see `devlake list`). */
  name: string;
  /** Task options (`--options`). Default `{}`. */
  options?: Record<string, unknown>;
  /** Subtask names to run; default: those enabled by default. */
  subtasks?: string[];
  /** Full or incremental collection. Default incremental. */
  syncPolicy?: SyncPolicy;
  /** `--record [file]`: `true` for the plugin's default cassette. */
  record?: string | boolean;
  /** `--replay [file]`: `true` for the plugin's default cassette. */
  replay?: string | boolean;
  /** Database URL; opened and closed by `runPlugin`. Ignored when `dal` is given. */
  dbUrl?: string;
  /** An open database to use (left open), e.g. a pipeline's. */
  dal?: Dal;
  /** Working directory for a relative SQLite path. Default `process.cwd()`. */
  cwd?: string;
  /** Apply pending migrations first. Default true; a pipeline that migrated once passes false. */
  migrate?: boolean;
  /** Where plugins are looked up. Default `pluginSearchPath()`. */
  searchPath?: string[];
  /** The root logger; the run logs through its `{plugin}` child. */
  logger: Logger;
  config: Config;
  /** Aborts the run gracefully (current batch finishes, recorded CANCELLED). */
  signal?: AbortSignal;
  progress?: ProgressDisplay;
  /** Told when an API client waits (rate limit, Retry-After), e.g. to show it on the progress line. */
  onHttpWait?: (note: string) => void;
  /** Reuse records a pipeline created: the task runs under this pipeline and task row. */
  records?: { pipelineId: number; taskId: number };
  /** If a run of this plugin with the same options holds the run lock, wait for it instead of failing (`--wait`). Default false. */
  waitForLock?: boolean;
  /** `--project <name>`: record the project and map the run's scope rows to it. */
  project?: string;
}

/**
 * The composition root of one plugin run, as `devlake run` does it: find and
 * load the plugin, check the subtask names (usage errors before the database
 * is touched), open HTTP record/replay, open the database, migrate, run the
 * task, close. Usage and set-up errors throw; a run that started returns its
 * summary and the error that ended it (FAILED or CANCELLED), recorded in the
 * framework tables.
 */
export async function runPlugin(opts: RunPluginOptions): Promise<RunResult> {
  // Heavy modules load here, not when the CLI starts.
  const { findPlugin, loadPlugin, selectSubtasks } = require('./load-plugin') as typeof import('./load-plugin');
  const { pluginSearchPath } = require('./discover') as typeof import('./discover');
  const location = findPlugin(opts.name, opts.searchPath ?? pluginSearchPath());
  const { plugin } = loadPlugin(location);
  if (plugin.subTaskMetas!().length === 0) {
    // A plugin fresh from create-plugin: say how to give it something to run.
    throw new DevlakeError('DEVLAKE_E_PLUGIN_NO_SUBTASKS', `Plugin "${opts.name}" has no subtasks yet: there is nothing to run`, {
      hint: `Add one with: devlake create-collector ${opts.name} <name> --http-path <path> (or create-extractor / create-converter ${opts.name} <name>), then run it again.`,
    });
  }
  selectSubtasks(plugin.subTaskMetas!(), opts.subtasks);

  const logger = opts.logger.child({ plugin: opts.name });
  const { openRunHttp } = require('./http-mode') as typeof import('./http-mode');
  const http = await openRunHttp({ pluginDir: location.dir, record: opts.record, replay: opts.replay, logger });

  let dal = opts.dal;
  if (!dal) {
    const { createDal } = require('../dal/connect') as typeof import('../dal/connect');
    dal = await createDal(opts.dbUrl ?? requiredDbUrl(), { cwd: opts.cwd, onDriverMessage: (level, message) => logger.debug(`database ${level}: ${message}`) });
  }
  try {
    if (opts.migrate !== false) {
      const { migrateAll } = require('./migrate-all') as typeof import('./migrate-all');
      const applied = await migrateAll(dal, [{ name: opts.name, plugin }], { logger });
      if (applied.length) logger.info(`applied ${applied.length} migration(s)`);
    }
    const { runTask } = require('./run-task') as typeof import('./run-task');
    const result = await runTask({
      dal,
      pluginName: opts.name,
      plugin,
      options: opts.options ?? {},
      subtasks: opts.subtasks,
      syncPolicy: opts.syncPolicy,
      http: opts.onHttpWait ? { ...http.settings, onWait: opts.onHttpWait } : http.settings,
      logger,
      config: opts.config,
      signal: opts.signal,
      progress: opts.progress,
      pluginFile: location.entry,
      records: opts.records,
      waitForLock: opts.waitForLock,
      project: opts.project,
    });
    await http.close();
    return result;
  } finally {
    if (!opts.dal) await dal.close();
  }
}

function requiredDbUrl(): string {
  const { DEFAULT_DB_URL } = require('../dal/url') as typeof import('../dal/url');
  return DEFAULT_DB_URL;
}
