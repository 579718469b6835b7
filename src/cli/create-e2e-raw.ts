import type { Command } from 'commander';
import { addCommonFlags, type CommonFlags } from '../generator/common-flags';

/** `devlake create-e2e-raw <plugin> <raw table>`: a raw table from the database as a CSV fixture. */
export function register(program: Command): void {
  const command = program
    .command('create-e2e-raw')
    .description('export a raw table from the database into <plugin>/e2e/raw_tables/<table>.csv for tests')
    .argument('<plugin>', 'an existing plugin')
    .argument('<raw-table>', 'the raw table, e.g. _raw_icla_committer (or the collector name, e.g. committer)');
  addCommonFlags(command)
    .addHelpText('after', '\nExample:\n  $ devlake run icla --replay && devlake create-e2e-raw icla _raw_icla_committer --force')
    .action(async (plugin: string, table: string, flags: CommonFlags, cmd: Command) => {
      const { globalOptions } = require('./global') as typeof import('./global');
      const { createDal } = require('../dal/connect') as typeof import('../dal/connect');
      const { planRawExport } = require('../generator/export-raw') as typeof import('../generator/export-raw');
      const { fsView, pluginsRoot } = require('../generator/locate') as typeof import('../generator/locate');
      const { applyPlan } = require('../generator/apply') as typeof import('../generator/apply');
      const g = globalOptions(cmd);
      const root = pluginsRoot(flags.dir);
      const dal = await createDal(g.dbUrl, { cwd: g.cwd });
      try {
        applyPlan(await planRawExport(dal, fsView(root), plugin, table), { root, force: flags.force, dryRun: flags.dryRun });
      } finally {
        await dal.close();
      }
    });
}
