import * as fs from 'node:fs';
import type { Command } from 'commander';
import { DevlakeError, ExitCode } from '../core/errors';
import { redact } from '../core/redact';

interface BlueprintFlags {
  parallel?: string;
  json?: boolean;
  queue?: string;
}

/** Reads and checks a blueprint file. */
function readBlueprint(file: string): import('../pipeline/blueprint').Blueprint {
  const { parseBlueprintText } = require('../pipeline/blueprint') as typeof import('../pipeline/blueprint');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new DevlakeError('DEVLAKE_E_USAGE', `Cannot read blueprint ${file}: ${(err as Error).message}`, { hint: 'Check the path.' });
  }
  return parseBlueprintText(text, file);
}

/** The plan of a blueprint, with each plugin's makePipelinePlan when it has one. */
function planOf(bp: import('../pipeline/blueprint').Blueprint): import('../pipeline/plan').PipelineSpec {
  const { findPlugin, loadPlugin } = require('../runner/load-plugin') as typeof import('../runner/load-plugin');
  const { makePlan } = require('../pipeline/blueprint') as typeof import('../pipeline/blueprint');
  const plugins = new Map(bp.connections.map((c) => [c.plugin, loadPlugin(findPlugin(c.plugin)).plugin]));
  return makePlan(bp, plugins);
}

export function register(program: Command): void {
  const blueprint = program
    .command('blueprint')
    .description('make pipeline plans from a blueprint (connections × scopes, sync policy, cron) and run them')
    .addHelpText(
      'after',
      `
Blueprint file (JSON or YAML):
  name: nightly
  project: my-project
  cron: "0 2 * * *"
  syncPolicy: { fullSync: false, skipOnFail: true }
  connections:
    - plugin: github
      connectionId: 1
      scopes: [{ name: apache/devlake }, { name: apache/devlake-website }]
      scopeConfig: { deploymentPattern: "(?i)deploy" }
  after:
    - { plugin: dora, options: { projectName: my-project } }

Examples:
  $ devlake blueprint run nightly.yaml
  $ devlake blueprint schedule nightly.yaml --queue redis://127.0.0.1:6379`,
    );

  const run = async (file: string, flags: BlueprintFlags, cmd: Command): Promise<number> => {
    const spec = planOf(readBlueprint(file));
    const { runPipelineCommand } = require('./pipeline-run') as typeof import('./pipeline-run');
    return runPipelineCommand(file, { parallel: flags.parallel, json: flags.json, queue: flags.queue }, cmd, spec);
  };

  blueprint
    .command('run')
    .description('make the blueprint’s plan and run it once as a pipeline')
    .argument('<file>', 'blueprint file (.json, .yaml)')
    .option('--parallel <n>', 'tasks of one stage run at once (default 4)')
    .option('--queue <redis-url>', 'enqueue the tasks for `devlake worker` processes')
    .option('--json', 'print the pipeline summary as JSON')
    .addHelpText('after', `
Examples:
  $ devlake blueprint run nightly.yaml
  $ devlake blueprint run nightly.json --queue redis://127.0.0.1:6379 --json`)
    .action(async (file: string, flags: BlueprintFlags, cmd: Command) => {
      process.exitCode = await run(file, flags, cmd);
    });

  blueprint
    .command('schedule')
    .description('run the blueprint on its cron until stopped; a run never starts while the previous one is running')
    .argument('<file>', 'blueprint file with "cron"')
    .option('--parallel <n>', 'tasks of one stage run at once (default 4)')
    .option('--queue <redis-url>', 'enqueue the tasks for `devlake worker` processes')
    .addHelpText('after', `
Examples:
  $ devlake blueprint schedule nightly.yaml
  $ devlake blueprint schedule nightly.yaml --queue redis://127.0.0.1:6379

Ctrl-C stops the schedule (and cancels a run in progress).`)
    .action(async (file: string, flags: BlueprintFlags, cmd: Command) => {
      const bp = readBlueprint(file);
      if (!bp.cron) throw new DevlakeError('DEVLAKE_E_BLUEPRINT', `${file}: "cron" is required to schedule`, { hint: 'Add e.g. cron: "0 2 * * *", or use `devlake blueprint run`.' });
      const { scheduleBlueprint } = require('../pipeline/blueprint-schedule') as typeof import('../pipeline/blueprint-schedule');
      // A tick due while the previous run goes on is skipped: runs never overlap. Ctrl-C reaches a run in
      // progress through its own handler (it is cancelled); the schedule waits for it, then exits.
      const schedule = scheduleBlueprint(bp.cron, () => run(file, flags, cmd), {
        file,
        onError: (err) => process.stderr.write(`blueprint "${bp.name}": run failed: ${redact(String((err as Error).message ?? err))}\n`),
      });
      process.stderr.write(`blueprint "${bp.name}" scheduled (${bp.cron}); next run ${schedule.nextRun()?.toISOString() ?? 'never'}\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => {
          void schedule.stop().then(resolve);
        });
      });
      process.exitCode = ExitCode.OK;
    });
}
