import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('migrate')
    .description('apply framework, domain and plugin migrations (prints what it applied)')
    .option('--plugin <name>', 'only this plugin’s migrations (plus framework and domain)')
    .option('--json', 'print {status, database, applied[]} on stdout (with the error when it fails)')
    .option('--examples', 'also migrate the bundled example plugins (icla, github)')
    .addHelpText('after', '\nExamples:\n  $ devlake migrate\n  $ devlake --db postgres://postgres@127.0.0.1:5432/devlake migrate --plugin icla --json')
    .action(async (flags: MigrateFlags, cmd: Command) => {
      try {
        await migrateCommand(flags, cmd);
      } catch (err) {
        if (flags.json) {
          const { errorJson } = require('./print-error') as typeof import('./print-error');
          process.stdout.write(`${JSON.stringify({ status: 'FAILED', applied: [], error: errorJson(err) }, null, 2)}\n`);
        }
        throw err;
      }
    });
}

interface MigrateFlags {
  plugin?: string;
  json?: boolean;
  examples?: boolean;
}

/**
 * Framework and domain migrations, then the plugins': the one named by
 * --plugin, else the project's own (./plugins, DEVLAKE_PLUGINS_PATH); the
 * bundled examples only inside the toolkit's checkout or with --examples.
 */
async function migrateCommand(flags: MigrateFlags, cmd: Command): Promise<void> {
  const { globalOptions } = (require('./global') as typeof import('./global'));
  const g = globalOptions(cmd);
  const { discoverPlugins, pluginSearchPath } = (require('../runner/discover') as typeof import('../runner/discover'));
  const { findPlugin, loadPlugin } = (require('../runner/load-plugin') as typeof import('../runner/load-plugin'));
  const examples = flags.examples ? 'always' : undefined;
  const locations = flags.plugin
    ? [findPlugin(flags.plugin, pluginSearchPath(g.cwd, undefined, examples ?? 'auto'))]
    : discoverPlugins(pluginSearchPath(g.cwd, undefined, examples ?? 'named-only'));
  const plugins = locations.map((loc) => ({ name: loc.name, plugin: loadPlugin(loc).plugin }));
  const { createDal } = (require('../dal/connect') as typeof import('../dal/connect'));
  const dal = await createDal(g.dbUrl, { cwd: g.cwd });
  try {
    const { migrateAll } = (require('../runner/migrate-all') as typeof import('../runner/migrate-all'));
    const applied = await migrateAll(dal, plugins);
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ status: 'COMPLETED', database: dal.safeUrl, applied }, null, 2)}\n`);
      return;
    }
    for (const m of applied) process.stdout.write(`applied ${m.owner} ${m.version} ${m.name}\n`);
    process.stdout.write(applied.length ? `${applied.length} migration(s) applied to ${dal.safeUrl}\n` : `nothing to apply: ${dal.safeUrl} is up to date\n`);
  } finally {
    await dal.close();
  }
}
