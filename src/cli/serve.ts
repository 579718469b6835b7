import type { Command } from 'commander';
import { DevlakeError } from '../core/errors';

interface ServeFlags {
  port: string;
  host: string;
  queue?: string;
}

/** `--port`: a TCP port number. */
export function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new DevlakeError('DEVLAKE_E_USAGE', `--port "${text}" is not a port number`, { hint: 'Use a number from 1 to 65535, e.g. --port 4000.' });
  }
  return port;
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('serve the REST API (connections, scopes, plugin resources) and the web page')
    .option('--port <port>', 'TCP port', '4000')
    .option('--host <host>', 'address to listen on; any but loopback needs an API key', '127.0.0.1')
    .option('--queue <redis-url>', 'send pipelines to `devlake worker` processes (BullMQ) instead of running them here')
    .addHelpText(
      'after',
      `
Examples:
  $ devlake serve                          then open http://127.0.0.1:4000/
  $ devlake api-key create --name ops && devlake serve --host 0.0.0.0
  $ devlake serve --queue redis://127.0.0.1:6379   (run: devlake worker --queue redis://127.0.0.1:6379)

Saved secrets are encrypted with DEVLAKE_ENCRYPTION_SECRET (written to .env on first start when unset).`,
    )
    .action(async (flags: ServeFlags, cmd: Command) => {
      const { globalOptions } = require('./global') as typeof import('./global');
      const g = globalOptions(cmd);
      const port = parsePort(flags.port);
      const { createWinstonLogger } = require('../runner/winston-logger') as typeof import('../runner/winston-logger');
      const logger = createWinstonLogger({ level: g.logLevel });
      const { ensureEncryptionSecret, startServer } = require('../server/serve') as typeof import('../server/serve');
      const wrote = ensureEncryptionSecret(g.config, g.cwd);
      if (wrote) logger.warn(`generated DEVLAKE_ENCRYPTION_SECRET in ${wrote}: keep it, saved connection secrets cannot be read without it`);
      const { createDal } = require('../dal/connect') as typeof import('../dal/connect');
      const dal = await createDal(g.dbUrl, { cwd: g.cwd, onDriverMessage: (level, message) => logger.debug(`database ${level}: ${message}`) });
      let server: Awaited<ReturnType<typeof startServer>>;
      try {
        if (flags.queue) {
          const { checkQueue } = require('../pipeline/queue-run') as typeof import('../pipeline/queue-run');
          await checkQueue(flags.queue); // DEVLAKE_E_QUEUE_CONNECT at start, not at the first pipeline
        }
        server = await startServer({ dal, config: g.config, logger, host: flags.host, port, queue: flags.queue });
      } catch (err) {
        await dal.close();
        throw err;
      }
      logger.info(`serving ${dal.safeUrl} on ${server.url} (plugins: ${[...server.ctx.plugins.keys()].join(', ') || 'none'})`);
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          logger.info(`${signal}: stopping`);
          process.off('SIGINT', onInt).off('SIGTERM', onTerm);
          void server
            .close()
            .then(() => dal.close())
            .finally(resolve);
        };
        const onInt = () => stop('SIGINT');
        const onTerm = () => stop('SIGTERM');
        process.on('SIGINT', onInt).on('SIGTERM', onTerm);
      });
    });
}
