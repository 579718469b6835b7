import type { Command } from 'commander';
import { addCommonFlags, type CommonFlags } from '../generator/common-flags';

/** Flags of `devlake create-migration`. */
interface CreateMigrationFlags extends CommonFlags {
  migrationVersion?: string;
  table?: string;
  column?: string;
  type?: string;
}

/** `devlake create-migration <plugin> <name>`: a new versioned migration script (a table, or a column added to one), registered. */
export function register(program: Command): void {
  const command = program
    .command('create-migration')
    .description('create a versioned migration script (a new table, or with --table/--column a new column) and register it')
    .argument('<plugin>', 'an existing plugin')
    .argument('<name>', 'migration name, e.g. add-labels-table or add-email-column')
    .option('--migration-version <YYYYMMDDhhmmss>', 'the version, a UTC date and time (default: now; reused when the migration exists)')
    .option('--table <model>', 'add a column to this tool model (or its table _tool_<plugin>_<model>) instead of creating a table')
    .option('--column <name>', 'the column to add (with --table)')
    .option('--type <type>', 'the added column\'s type: string | text | integer | bigint | float | boolean | datetime | json (default: string)');
  addCommonFlags(command)
    .addHelpText(
      'after',
      '\nExamples:\n  $ devlake create-migration icla add-email-column --table committer --column email\n  $ devlake create-migration icla add-labels-table',
    )
    .action(async (plugin: string, name: string, flags: CreateMigrationFlags) => {
      const { DevlakeError } = require('../core/errors') as typeof import('../core/errors');
      const { validateMigrationVersion } = require('../generator/validate') as typeof import('../generator/validate');
      const { planMigration } = require('../generator/plan') as typeof import('../generator/plan');
      const { fsView, nextStepsInput, pluginsRoot } = require('../generator/locate') as typeof import('../generator/locate');
      const { applyPlan } = require('../generator/apply') as typeof import('../generator/apply');
      const { afterOther } = require('../generator/next-steps') as typeof import('../generator/next-steps');
      const version = flags.migrationVersion !== undefined ? validateMigrationVersion(flags.migrationVersion) : undefined;
      if ((flags.table === undefined) !== (flags.column === undefined) || (flags.type !== undefined && flags.table === undefined)) {
        throw new DevlakeError('DEVLAKE_E_USAGE', '--table and --column go together (and --type needs them)', {
          hint: 'Pass --table <model> --column <name> [--type <type>] to add a column, or none of them to create a table.',
        });
      }
      const addColumn = flags.table !== undefined ? { table: flags.table, column: flags.column!, type: flags.type } : undefined;
      const root = pluginsRoot(flags.dir);
      const files = planMigration(fsView(root), { plugin, name, version, addColumn });
      applyPlan(files, { root, force: flags.force, dryRun: flags.dryRun, nextSteps: afterOther(nextStepsInput(root, plugin, flags.dir)) });
    });
}
