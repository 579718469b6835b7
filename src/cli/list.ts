import type { Command } from 'commander';

/** One plugin as `devlake list --json` prints it. */
export interface PluginListing {
  name: string;
  description: string;
  dir: string;
  subtasks: Array<{ name: string; enabledByDefault: boolean; description: string }>;
  /** Why the plugin cannot be loaded; `devlake list` then exits 1. Compile errors carry `file`, `line`, `column`. */
  error?: { code: string; message: string; file?: string; line?: number; column?: number };
}

export function register(program: Command): void {
  program
    .command('list')
    .description('list discovered plugins and their subtasks')
    .option('--json', 'print a JSON array (a broken plugin has an "error"; the exit code is 1 then too)')
    .option('--examples', 'also list the bundled example plugins (icla, github) in a project with its own plugins')
    .addHelpText('after', '\nExamples:\n  $ devlake list\n  $ DEVLAKE_PLUGINS_PATH=./my-plugins devlake list --json')
    .action(async (flags: { json?: boolean; examples?: boolean }, cmd: Command) => {
      (require('./global') as typeof import('./global')).globalOptions(cmd); // validates global flags, reads .env
      const { discoverPlugins, pluginSearchPath } = (require('../runner/discover') as typeof import('../runner/discover'));
      const { loadPlugin } = (require('../runner/load-plugin') as typeof import('../runner/load-plugin'));
      const listings: PluginListing[] = discoverPlugins(pluginSearchPath(process.cwd(), undefined, flags.examples ? 'always' : 'auto')).map((loc) => {
        try {
          const { plugin } = loadPlugin(loc);
          return {
            name: loc.name,
            description: plugin.description,
            dir: loc.dir,
            subtasks: plugin.subTaskMetas!().map((m) => ({ name: m.name, enabledByDefault: m.enabledByDefault, description: m.description })),
          };
        } catch (err) {
          // One broken plugin must not hide the others: list it with its error.
          const e = err as { code?: string; message: string; data?: { file?: string; line?: number; column?: number } };
          const where = e.data?.file ? { file: e.data.file, line: e.data.line, column: e.data.column } : {};
          return { name: loc.name, description: '', dir: loc.dir, subtasks: [], error: { code: e.code ?? 'DEVLAKE_E_PLUGIN_LOAD', message: e.message, ...where } };
        }
      });
      // A broken plugin is a failure of `list` too, so scripts and CI notice it.
      const broken = listings.filter((p) => p.error);
      if (broken.length) process.exitCode = 1;
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(listings, null, 2)}\n`);
        return;
      }
      if (!listings.length) process.stdout.write('No plugins found. Create one with `devlake create-plugin <name>`.\n');
      for (const p of listings) {
        process.stdout.write(`${p.name}  ${p.error ? `(broken: ${p.error.code} ${p.error.message})` : p.description}\n`);
        for (const s of p.subtasks) process.stdout.write(`  ${s.enabledByDefault ? '*' : ' '} ${s.name}  ${s.description}\n`);
      }
      if (broken.length) process.stderr.write(`${broken.length} plugin(s) cannot be loaded: ${broken.map((p) => p.name).join(', ')}.\n`);
    });
}
