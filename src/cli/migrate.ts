import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('migrate')
    .description('apply framework, domain and plugin migrations (prints what it applied)')
    .option('--plugin <name>', 'only this plugin’s migrations (plus framework and domain)')
    .addHelpText('after', '\nExamples:\n  $ devlake migrate\n  $ devlake --db postgres://postgres@127.0.0.1:5432/devlake migrate --plugin icla')
    .action(async (flags: { plugin?: string }, cmd: Command) => {
      const { globalOptions } = (require('./global') as typeof import('./global'));
      const g = globalOptions(cmd);
      const { discoverPlugins } = (require('../runner/discover') as typeof import('../runner/discover'));
      const { findPlugin, loadPlugin } = (require('../runner/load-plugin') as typeof import('../runner/load-plugin'));
      const locations = flags.plugin ? [findPlugin(flags.plugin)] : discoverPlugins();
      const plugins = locations.map((loc) => ({ name: loc.name, plugin: loadPlugin(loc).plugin }));
      const { createDal } = (require('../dal/connect') as typeof import('../dal/connect'));
      const dal = await createDal(g.dbUrl, { cwd: g.cwd });
      try {
        const { migrateAll } = (require('../runner/migrate-all') as typeof import('../runner/migrate-all'));
        const applied = await migrateAll(dal, plugins);
        for (const m of applied) process.stdout.write(`applied ${m.owner} ${m.version} ${m.name}\n`);
        process.stdout.write(applied.length ? `${applied.length} migration(s) applied to ${dal.safeUrl}\n` : `nothing to apply: ${dal.safeUrl} is up to date\n`);
      } finally {
        await dal.close();
      }
    });
}
