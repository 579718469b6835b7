import * as fs from 'node:fs';
import type { Command } from 'commander';
import { DevlakeError, ExitCode } from '../core/errors';
import type { Logger } from '../core/logger';
import type { PipelineSpec } from '../pipeline/plan';
import type { PipelineSummary } from '../pipeline/engine';
import { printError } from './print-error';
import { parseParallel } from './pipeline';

/** The actions of `devlake pipeline run|rerun|status|cancel`: parse, call the engine, print. */

interface RunFlags {
  plan?: string;
  parallel?: string;
  json?: boolean;
  fullSync?: boolean;
  skipOnFail?: boolean;
  queue?: string;
  detach?: boolean;
}

/** Reads the plan from `[file]` or `--plan`, exactly one of them. */
export function readPlanArgument(file: string | undefined, planJson: string | undefined): PipelineSpec {
  const { parsePlanText } = require('../pipeline/plan') as typeof import('../pipeline/plan');
  if ((file === undefined) === (planJson === undefined)) {
    throw new DevlakeError('DEVLAKE_E_USAGE', file ? 'Give a plan file or --plan, not both' : 'No plan given', { hint: 'devlake pipeline run plan.json, or --plan \'[[{"plugin":"icla"}]]\'.' });
  }
  if (planJson !== undefined) return parsePlanText(planJson, '--plan');
  let text: string;
  try {
    text = fs.readFileSync(file!, 'utf8');
  } catch (err) {
    throw new DevlakeError('DEVLAKE_E_USAGE', `Cannot read plan file ${file}: ${(err as Error).message}`, { hint: 'Check the path.' });
  }
  return parsePlanText(text, file!);
}

/** Shared set-up of the pipeline commands: options, logger, database. */
async function open(cmd: Command): Promise<{ g: import('./global').GlobalOptions; logger: Logger; dal: import('../core/dal').Dal }> {
  const { globalOptions } = require('./global') as typeof import('./global');
  const g = globalOptions(cmd);
  const { createWinstonLogger } = require('../runner/winston-logger') as typeof import('../runner/winston-logger');
  const logger = createWinstonLogger({ level: g.logLevel });
  const { createDal } = require('../dal/connect') as typeof import('../dal/connect');
  const dal = await createDal(g.dbUrl, { cwd: g.cwd, onDriverMessage: (level, message) => logger.debug(`database ${level}: ${message}`) });
  return { g, logger, dal };
}

function print(summary: PipelineSummary, json: boolean | undefined): void {
  if (json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else {
    const { formatPipelineSummary } = require('../pipeline/summary-text') as typeof import('../pipeline/summary-text');
    process.stdout.write(formatPipelineSummary(summary));
  }
}

/** The exit code of a finished pipeline: 0 when COMPLETED (or PARTIAL under skipOnFail), 130 cancelled, else 1. */
export function pipelineExitCode(summary: PipelineSummary): number {
  if (summary.status === 'COMPLETED' || summary.status === 'PARTIAL') return ExitCode.OK;
  if (summary.status === 'CANCELLED') return ExitCode.CANCELLED;
  return ExitCode.FAILURE;
}

async function runCreated(pipelineId: number, flags: RunFlags, ctx: Awaited<ReturnType<typeof open>>, onlyIncomplete: boolean): Promise<number> {
  const { g, logger, dal } = ctx;
  const { installCancellation } = require('../runner/cancel') as typeof import('../runner/cancel');
  const cancel = installCancellation({ onCancel: (how) => logger.warn(`cancelling pipeline ${pipelineId} (${how}): running tasks finish their current batch; press Ctrl-C again to exit at once`) });
  try {
    const parallel = parseParallel(flags.parallel);
    let summary: PipelineSummary;
    if (flags.queue) {
      const { runPipelineOnQueue } = require('../pipeline/queue-run') as typeof import('../pipeline/queue-run');
      summary = await runPipelineOnQueue({ dal, pipelineId, redisUrl: flags.queue, logger, signal: cancel.signal, detach: !!flags.detach });
    } else {
      const { runPipeline, inProcessExecutor } = require('../pipeline/engine') as typeof import('../pipeline/engine');
      const { TaskConnections } = require('../pipeline/task-connections') as typeof import('../pipeline/task-connections');
      const connections = new TaskConnections(g.dbUrl, { cwd: g.cwd, logger });
      try {
        summary = await runPipeline({
          dal,
          pipelineId,
          parallel,
          onlyIncomplete,
          logger,
          signal: cancel.signal,
          executor: inProcessExecutor({ dal, logger, config: g.config, dbUrl: g.dbUrl, cwd: g.cwd, connections }),
        });
      } finally {
        await connections.close();
      }
    }
    print(summary, flags.json);
    if (summary.status === 'FAILED') {
      const failed = summary.tasks.filter((t) => t.status === 'FAILED');
      return printError(
        new DevlakeError('DEVLAKE_E_SUBTASK_FAILED', `Pipeline ${pipelineId} failed: ${failed.map((t) => `#${t.id} ${t.plugin} ${t.error?.code ?? ''}`).join(', ')}`, {
          hint: `Fix the cause, then re-run only what did not complete: devlake pipeline rerun ${pipelineId}`,
        }),
        { verbose: g.verbose },
      );
    }
    return pipelineExitCode(summary);
  } finally {
    cancel.dispose();
  }
}

export async function runPipelineCommand(file: string | undefined, flags: RunFlags, cmd: Command, given?: PipelineSpec): Promise<number> {
  // `given`: a spec another command already built (a blueprint's), checked again but never re-serialised.
  const { toPipelineSpec } = require('../pipeline/plan') as typeof import('../pipeline/plan');
  const spec = given ? toPipelineSpec(given, file ?? 'pipeline') : readPlanArgument(file, flags.plan);
  parseParallel(flags.parallel);
  if (flags.detach && !flags.queue) throw new DevlakeError('DEVLAKE_E_USAGE', '--detach needs --queue', { hint: 'In process, the command runs the pipeline until it ends.' });
  if (flags.fullSync) spec.fullSync = true;
  if (flags.skipOnFail) spec.skipOnFail = true;
  const ctx = await open(cmd);
  try {
    const { preparePlan } = require('../pipeline/engine') as typeof import('../pipeline/engine');
    await preparePlan(spec, { dal: ctx.dal, logger: ctx.logger });
    if (flags.queue) {
      const { checkQueue } = require('../pipeline/queue-run') as typeof import('../pipeline/queue-run');
      await checkQueue(flags.queue); // DEVLAKE_E_QUEUE_CONNECT before a pipeline row exists
    }
    const { PipelineStore } = require('../pipeline/store') as typeof import('../pipeline/store');
    const id = await new PipelineStore(ctx.dal).create(spec, { queue: flags.queue ? 'devlake' : undefined });
    ctx.logger.info(`pipeline ${id} created`);
    return await runCreated(id, flags, ctx, false);
  } finally {
    await ctx.dal.close();
  }
}

export async function rerunPipelineCommand(id: number, flags: RunFlags, cmd: Command): Promise<number> {
  parseParallel(flags.parallel);
  const ctx = await open(cmd);
  try {
    const { PipelineStore } = require('../pipeline/store') as typeof import('../pipeline/store');
    const { preparePlan } = require('../pipeline/engine') as typeof import('../pipeline/engine');
    const store = new PipelineStore(ctx.dal);
    const p = await store.get(id);
    if (p.status === 'RUNNING') throw new DevlakeError('DEVLAKE_E_USAGE', `Pipeline ${id} is still RUNNING`, { hint: `Wait for it, or cancel it first: devlake pipeline cancel ${id}` });
    await preparePlan({ plan: await store.plan(id) }, { dal: ctx.dal, logger: ctx.logger });
    if (flags.queue) {
      const { checkQueue } = require('../pipeline/queue-run') as typeof import('../pipeline/queue-run');
      await checkQueue(flags.queue);
    }
    // Tasks that did not complete start again from CREATED; completed ones are kept.
    for (const t of p.tasks) if (t.status !== 'COMPLETED') await store.setTask(t.id, { status: 'CREATED', message: null, error_code: null });
    await store.setPipeline(id, { cancel_requested: false, queue: flags.queue ? 'devlake' : null });
    return await runCreated(id, flags, ctx, true);
  } finally {
    await ctx.dal.close();
  }
}

export async function statusPipelineCommand(id: number, flags: { json?: boolean }, cmd: Command): Promise<number> {
  const ctx = await open(cmd);
  try {
    const { PipelineStore } = require('../pipeline/store') as typeof import('../pipeline/store');
    const { pipelineSummary } = require('../pipeline/engine') as typeof import('../pipeline/engine');
    print(pipelineSummary(await new PipelineStore(ctx.dal).get(id)), flags.json);
    return ExitCode.OK;
  } finally {
    await ctx.dal.close();
  }
}

export async function cancelPipelineCommand(id: number, cmd: Command): Promise<number> {
  const ctx = await open(cmd);
  try {
    const { PipelineStore } = require('../pipeline/store') as typeof import('../pipeline/store');
    const store = new PipelineStore(ctx.dal);
    const p = await store.get(id);
    if (p.status !== 'RUNNING' && p.status !== 'CREATED') {
      process.stdout.write(`pipeline ${id} is already ${p.status}\n`);
      return ExitCode.OK;
    }
    await store.requestCancel(id);
    process.stdout.write(`pipeline ${id}: cancel requested; running tasks stop within seconds (see devlake pipeline status ${id})\n`);
    return ExitCode.OK;
  } finally {
    await ctx.dal.close();
  }
}
