import type { Command } from 'commander';
import { DevlakeError } from '../core/errors';

interface PipelineRunFlags {
  plan?: string;
  parallel?: string;
  json?: boolean;
  fullSync?: boolean;
  skipOnFail?: boolean;
  queue?: string;
  detach?: boolean;
}

/** `--parallel N`: a positive integer. */
export function parseParallel(text: string | undefined, flag = '--parallel'): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new DevlakeError('DEVLAKE_E_USAGE', `${flag} "${text}" is not a positive integer`, { hint: `e.g. ${flag} 4` });
  return n;
}

/** `<id>` of a pipeline: a positive integer. */
function parseId(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new DevlakeError('DEVLAKE_E_USAGE', `"${text}" is not a pipeline id`, { hint: 'Use the number `devlake pipeline run` printed.' });
  return n;
}

export function register(program: Command): void {
  const pipeline = program
    .command('pipeline')
    .description('run DevLake pipeline plans (stages of tasks), in process or on queue workers')
    .addHelpText(
      'after',
      `
Examples:
  $ devlake pipeline run plan.json --parallel 4
  $ devlake pipeline run --plan '[[{"plugin":"icla","options":{}}]]' --json
  $ devlake pipeline run plan.yaml --queue redis://127.0.0.1:6379
  $ devlake pipeline status 12
  $ devlake pipeline cancel 12
  $ devlake pipeline rerun 12`,
    );

  pipeline
    .command('run')
    .description('create a pipeline from a plan and run it, stage by stage')
    .argument('[file]', 'plan file (.json, .yaml): [[{plugin, subtasks, options}, …], …] or {name, plan, skipOnFail}')
    .option('--plan <json>', 'the plan as JSON instead of a file')
    .option('--parallel <n>', 'tasks of one stage run at once in this process (default 4)')
    .option('--full-sync', 'collect everything again in every task')
    .option('--skip-on-fail', 'keep going when a task fails (the pipeline ends PARTIAL)')
    .option('--queue <redis-url>', 'enqueue the tasks for `devlake worker` processes instead of running them here')
    .option('--detach', 'with --queue: print the pipeline id and return at once')
    .option('--json', 'print a machine-readable summary on stdout')
    .addHelpText(
      'after',
      `
Plan format (DevLake's): stages in order; the tasks of a stage run in parallel.
  [[{"plugin":"github","options":{"connectionId":1,"name":"a/b"}},
    {"plugin":"github","options":{"connectionId":1,"name":"a/c"}}],
   [{"plugin":"dora","options":{"projectName":"p"}}]]

Examples:
  $ devlake pipeline run plan.json
  $ devlake pipeline run plan.yaml --parallel 8 --skip-on-fail --json
  $ devlake pipeline run --plan '[[{"plugin":"icla"}]]'
  $ devlake pipeline run plan.json --queue redis://127.0.0.1:6379 --detach`,
    )
    .action(async (file: string | undefined, flags: PipelineRunFlags, cmd: Command) => {
      const { runPipelineCommand } = require('./pipeline-run') as typeof import('./pipeline-run');
      process.exitCode = await runPipelineCommand(file, flags, cmd);
    });

  pipeline
    .command('rerun')
    .description('run again the tasks of a pipeline that did not complete')
    .argument('<id>', 'pipeline id')
    .option('--parallel <n>', 'tasks of one stage run at once (default 4)')
    .option('--queue <redis-url>', 'enqueue the tasks for workers instead of running them here')
    .option('--json', 'print a machine-readable summary on stdout')
    .addHelpText('after', `
Examples:
  $ devlake pipeline rerun 12
  $ devlake pipeline rerun 12 --queue redis://127.0.0.1:6379 --json`)
    .action(async (id: string, flags: PipelineRunFlags, cmd: Command) => {
      const { rerunPipelineCommand } = require('./pipeline-run') as typeof import('./pipeline-run');
      process.exitCode = await rerunPipelineCommand(parseId(id), flags, cmd);
    });

  pipeline
    .command('status')
    .description('show a pipeline and its tasks (from any machine sharing the database)')
    .argument('<id>', 'pipeline id')
    .option('--json', 'print a machine-readable summary on stdout')
    .addHelpText('after', `
Examples:
  $ devlake pipeline status 12
  $ DB_URL=postgres://postgres@db:5432/devlake devlake pipeline status 12 --json`)
    .action(async (id: string, flags: { json?: boolean }, cmd: Command) => {
      const { statusPipelineCommand } = require('./pipeline-run') as typeof import('./pipeline-run');
      process.exitCode = await statusPipelineCommand(parseId(id), flags, cmd);
    });

  pipeline
    .command('cancel')
    .description('cancel a running pipeline: every process running its tasks stops them within seconds')
    .argument('<id>', 'pipeline id')
    .addHelpText('after', `
Examples:
  $ devlake pipeline cancel 12`)
    .action(async (id: string, _flags: unknown, cmd: Command) => {
      const { cancelPipelineCommand } = require('./pipeline-run') as typeof import('./pipeline-run');
      process.exitCode = await cancelPipelineCommand(parseId(id), cmd);
    });
}
