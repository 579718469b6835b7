import type { Command } from 'commander';
import { DevlakeError, ExitCode } from '../core/errors';
import { parseParallel } from './pipeline';

interface WorkerFlags {
  queue?: string;
  concurrency?: string;
  lockDuration?: string;
}

export function register(program: Command): void {
  program
    .command('worker')
    .description('run pipeline tasks from a Redis queue (BullMQ); start any number, on any machine sharing the database')
    .option('--queue <redis-url>', 'the queue, e.g. redis://127.0.0.1:6379 (add ?prefix=name to share one Redis between deployments)')
    .option('--concurrency <n>', 'tasks this worker runs at once (default 1)')
    .option('--lock-duration <ms>', 'a dead worker\'s task returns to the queue after this long (default 30000)')
    .addHelpText(
      'after',
      `
Examples:
  $ devlake worker --queue redis://127.0.0.1:6379
  $ DB_URL=postgres://postgres@db:5432/devlake devlake worker --queue redis://redis:6379 --concurrency 4
  $ devlake pipeline run plan.json --queue redis://127.0.0.1:6379   (in another shell)

Ctrl-C stops taking tasks and waits for the running ones; Ctrl-C again exits at once
(the tasks then resume on another worker from their page checkpoint).`,
    )
    .action(async (flags: WorkerFlags, cmd: Command) => {
      process.exitCode = await workerCommand(flags, cmd);
    });
}

async function workerCommand(flags: WorkerFlags, cmd: Command): Promise<number> {
  if (!flags.queue) throw new DevlakeError('DEVLAKE_E_MISSING_FLAGS', 'devlake worker needs --queue', { hint: 'e.g. devlake worker --queue redis://127.0.0.1:6379' });
  const concurrency = parseParallel(flags.concurrency, '--concurrency');
  const lockDurationMs = parseParallel(flags.lockDuration, '--lock-duration');
  const { globalOptions } = require('./global') as typeof import('./global');
  const g = globalOptions(cmd);
  const { checkQueue } = require('../pipeline/queue-connection') as typeof import('../pipeline/queue-connection');
  const target = await checkQueue(flags.queue);
  const { createWinstonLogger } = require('../runner/winston-logger') as typeof import('../runner/winston-logger');
  const logger = createWinstonLogger({ level: g.logLevel });
  const { createDal } = require('../dal/connect') as typeof import('../dal/connect');
  const dal = await createDal(g.dbUrl, { cwd: g.cwd, onDriverMessage: (level, message) => logger.debug(`database ${level}: ${message}`) });
  try {
    const { migrateAll } = require('../runner/migrate-all') as typeof import('../runner/migrate-all');
    await migrateAll(dal, []); // the framework's pipeline tables; plugins are migrated by the command that creates a pipeline
    const { startWorker } = require('../pipeline/worker') as typeof import('../pipeline/worker');
    const worker = await startWorker({ target, dal, logger, config: g.config, concurrency, lockDurationMs, dbUrl: g.dbUrl });
    await new Promise<void>((resolve) => {
      let stopping = false;
      const stop = () => {
        if (stopping) process.exit(ExitCode.CANCELLED);
        stopping = true;
        logger.warn('stopping: taking no new task, waiting for the running ones; Ctrl-C again to exit at once');
        void worker.close().then(resolve, resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    logger.info('worker stopped');
    return ExitCode.OK;
  } finally {
    await dal.close();
  }
}
