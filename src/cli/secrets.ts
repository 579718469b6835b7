import type { Command } from 'commander';

export function register(program: Command): void {
  const secrets = program.command('secrets').description('manage the encryption of saved connection secrets');
  secrets
    .command('rotate')
    .description('re-encrypt every saved secret with DEVLAKE_ENCRYPTION_SECRET (old keys in DEVLAKE_ENCRYPTION_SECRET_PREVIOUS)')
    .addHelpText(
      'after',
      `
Examples:
  $ DEVLAKE_ENCRYPTION_SECRET_PREVIOUS=<old> DEVLAKE_ENCRYPTION_SECRET=<new> devlake secrets rotate`,
    )
    .action(async (_flags: unknown, cmd: Command) => {
      const { globalOptions } = require('./global') as typeof import('./global');
      const g = globalOptions(cmd);
      const { secretBoxFromConfig } = require('../connections/secrets') as typeof import('../connections/secrets');
      const box = secretBoxFromConfig(g.config); // a missing key fails before the database is opened
      const { createDal } = require('../dal/connect') as typeof import('../dal/connect');
      const dal = await createDal(g.dbUrl, { cwd: g.cwd });
      try {
        const { migrateAll } = require('../runner/migrate-all') as typeof import('../runner/migrate-all');
        await migrateAll(dal, []);
        const { ConnectionStore } = require('../connections/connection-store') as typeof import('../connections/connection-store');
        const { rotated, current } = await new ConnectionStore(dal, () => box).rotate();
        process.stdout.write(`re-encrypted ${rotated} connection secret(s) with key ${box.currentKeyId}; ${current} already used it\n`);
      } finally {
        await dal.close();
      }
    });
}
