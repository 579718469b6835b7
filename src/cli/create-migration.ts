import type { Command } from 'commander';
import { addCommonFlags, type CommonFlags } from '../generator/common-flags';

/** Flags of `devlake create-migration`. */
interface CreateMigrationFlags extends CommonFlags {
  migrationVersion?: string;
}

/** `devlake create-migration <plugin> <name>`: a new versioned migration script, registered. */
export function register(program: Command): void {
  const command = program
    .command('create-migration')
    .description('create a versioned migration script and register it')
    .argument('<plugin>', 'an existing plugin')
    .argument('<name>', 'migration name, e.g. add-url-column')
    .option('--migration-version <YYYYMMDDHHmmss>', 'the version (default: now in UTC; reused when the migration exists)');
  addCommonFlags(command)
    .addHelpText('after', '\nExample:\n  $ devlake create-migration icla add-email-column')
    .action(async (plugin: string, name: string, flags: CreateMigrationFlags) => {
      /* eslint-disable @typescript-eslint/no-require-imports */
      const { DevlakeError } = require('../core/errors') as typeof import('../core/errors');
      const { planMigration } = require('../generator/plan') as typeof import('../generator/plan');
      const { fsView, pluginsRoot } = require('../generator/locate') as typeof import('../generator/locate');
      const { applyPlan } = require('../generator/apply') as typeof import('../generator/apply');
      /* eslint-enable @typescript-eslint/no-require-imports */
      if (flags.migrationVersion !== undefined && !/^\d{14}$/.test(flags.migrationVersion)) {
        throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', `--migration-version "${flags.migrationVersion}" is not YYYYMMDDHHmmss`, {
          hint: 'Pass 14 digits, e.g. --migration-version 20240101000000, or leave it out for now.',
        });
      }
      const root = pluginsRoot(flags.dir);
      const files = planMigration(fsView(root), { plugin, name, version: flags.migrationVersion ? Number(flags.migrationVersion) : undefined });
      applyPlan(files, { root, force: flags.force, dryRun: flags.dryRun });
    });
}
