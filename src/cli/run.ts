import type { Command } from 'commander';
import { DevlakeError, ExitCode } from '../core/errors';
import { checkTimeAfter } from '../runner/time-after';
import { printError } from './print-error';

interface RunFlags {
  examples?: boolean;
  subtasks?: string;
  fullSync?: boolean;
  timeAfter?: string;
  options?: string;
  json?: boolean;
  record?: string | boolean;
  replay?: string | boolean;
  wait?: boolean;
  connection?: string;
  project?: string;
}

/** Parses `--options` JSON: an object, or a usage error pointing at the problem. */
export function parseOptionsJson(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new DevlakeError('DEVLAKE_E_OPTIONS_JSON', `--options is not valid JSON: ${(err as Error).message}`, {
      hint: `Quote the JSON for your shell, e.g. --options '{"connectionId":1}'.`,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DevlakeError('DEVLAKE_E_OPTIONS_JSON', '--options must be a JSON object', { hint: `e.g. --options '{"connectionId":1}'.` });
  }
  return value as Record<string, unknown>;
}

/** Parses `--time-after`: an ISO 8601 date or date-time, not later than now. */
export function parseTimeAfter(text: string | undefined, now = new Date()): Date | undefined {
  if (text === undefined) return undefined;
  const ok = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text.trim());
  const date = new Date(text.trim());
  if (!ok || Number.isNaN(date.getTime())) {
    throw new DevlakeError('DEVLAKE_E_TIME_AFTER', `--time-after "${text}" is not an ISO 8601 date`, { hint: 'Use e.g. --time-after 2024-01-31 or 2024-01-31T12:00:00Z.' });
  }
  checkTimeAfter(date, now);
  return date;
}

export function register(program: Command): void {
  program
    .command('run')
    .description('migrate, then run a plugin’s subtasks in order')
    .argument('<plugin>', 'plugin name (see `devlake list`)')
    .option('--subtasks <names>', 'comma-separated subtask names (default: those enabled by default)')
    .option('--full-sync', 'collect everything again instead of incrementally')
    .option('--time-after <iso-date>', 'only collect data updated after this date')
    .option('--options <json>', 'task options as a JSON object, e.g. \'{"connectionId":1}\'')
    .option('--connection <id|name>', 'use a connection saved with `devlake serve` instead of <PLUGIN>_* variables')
    .option('--record [file]', 'record HTTP traffic to a cassette (default <plugin>/fixtures/cassette.json)')
    .option('--replay [file]', 'answer HTTP from a cassette, no network (default <plugin>/fixtures/cassette.json)')
    .option('--wait', 'if a run of this plugin with the same options is in progress, wait for it to end instead of failing')
    .option('--project <name>', "record the project and map the run's repos, boards and cicd scopes to it (project_mapping)")
    .option('--json', 'print a machine-readable summary on stdout (also when the run fails)')
    .option('--examples', 'find the bundled example plugins (icla, github) even in a project with its own plugins')
    .addHelpText(
      'after',
      `
Examples:
  $ devlake run icla --replay
  $ devlake run github --options '{"connectionId":1,"name":"apache/devlake"}' --subtasks "Collect Issues,Extract Issues"
  $ devlake run icla --full-sync --json
  $ devlake run icla --connection apache`,
    )
    .action(async (name: string, flags: RunFlags, cmd: Command) => {
      const started = Date.now();
      try {
        process.exitCode = await runCommand(name, flags, cmd);
      } catch (err) {
        // A run that could not start (bad options, plugin, database) still answers --json on stdout.
        if (flags.json) process.stdout.write(`${JSON.stringify(failedRunJson(name, err, Date.now() - started), null, 2)}\n`);
        throw err;
      }
    });
}

/** The `--json` summary of a run that failed before it started: the RunSummary shape, no rows, the error. */
function failedRunJson(plugin: string, err: unknown, durationMs: number): Record<string, unknown> {
  const { errorJson } = require('./print-error') as typeof import('./print-error');
  const error = errorJson(err);
  return {
    plugin,
    status: error.code === 'DEVLAKE_E_CANCELLED' ? 'CANCELLED' : 'FAILED',
    pipelineId: null,
    taskId: null,
    durationMs,
    rowsWritten: 0,
    subtasks: [],
    error,
  };
}

async function runCommand(name: string, flags: RunFlags, cmd: Command): Promise<number> {
  // Heavy modules load here, not at startup.
  const { globalOptions } = (require('./global') as typeof import('./global'));
  const g = globalOptions(cmd);
  let options = parseOptionsJson(flags.options);
  const timeAfter = parseTimeAfter(flags.timeAfter);
  const subtasks = flags.subtasks?.split(',').map((s) => s.trim()).filter(Boolean);
  if (subtasks && subtasks.length === 0) {
    throw new DevlakeError('DEVLAKE_E_USAGE', '--subtasks names no subtask', {
      hint: 'Give comma-separated names (see `devlake list`), or leave --subtasks out to run those enabled by default.',
    });
  }
  if (flags.project !== undefined && flags.project.trim() === '') {
    throw new DevlakeError('DEVLAKE_E_USAGE', '--project names no project', { hint: 'Give the project name, e.g. --project demo.' });
  }
  if (flags.record !== undefined && flags.replay !== undefined) {
    throw new DevlakeError('DEVLAKE_E_USAGE', '--record and --replay cannot be used together', { hint: 'Record once, then replay.' });
  }

  let config = g.config;
  if (flags.connection !== undefined) {
    const { runSettingsFromConnection } = require('../connections/saved-connection') as typeof import('../connections/saved-connection');
    ({ config, options } = await runSettingsFromConnection({ dbUrl: g.dbUrl, cwd: g.cwd, config, plugin: name, connection: flags.connection, options }));
  }

  const { createWinstonLogger } = (require('../runner/winston-logger') as typeof import('../runner/winston-logger'));
  const { createProgressDisplay } = (require('../runner/progress') as typeof import('../runner/progress'));
  const progress = createProgressDisplay(process.stderr);
  const logger = createWinstonLogger({ level: g.logLevel, beforeWrite: () => progress.clear() });
  const { installCancellation } = (require('../runner/cancel') as typeof import('../runner/cancel'));
  const cancel = installCancellation({ onCancel: (how) => logger.child({ plugin: name }).warn(`cancelling (${how}): finishing the current batch; press Ctrl-C again to exit at once`) });
  try {
    const { runPlugin } = (require('../runner/run-plugin') as typeof import('../runner/run-plugin'));
    const { summary, error } = await runPlugin({
      name,
      options,
      subtasks,
      syncPolicy: { fullSync: !!flags.fullSync, timeAfter },
      record: flags.record,
      replay: flags.replay,
      dbUrl: g.dbUrl,
      cwd: g.cwd,
      logger,
      config,
      signal: cancel.signal,
      progress,
      onHttpWait: (note) => progress.waiting(note),
      waitForLock: !!flags.wait,
      project: flags.project,
      ...(flags.examples ? { searchPath: pluginSearchPathWithExamples(g.cwd) } : {}),
    });
    if (flags.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else {
      const { formatSummary } = (require('../runner/summary') as typeof import('../runner/summary'));
      process.stdout.write(formatSummary(summary));
    }
    if (error) return printError(error, { verbose: g.verbose });
    return ExitCode.OK;
  } finally {
    cancel.dispose();
  }
}

function pluginSearchPathWithExamples(cwd: string): string[] {
  const { pluginSearchPath } = require('../runner/discover') as typeof import('../runner/discover');
  return pluginSearchPath(cwd, undefined, 'always');
}
