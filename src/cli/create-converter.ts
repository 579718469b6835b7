import type { Command } from 'commander';
import { addCommonFlags, type CommonFlags } from '../generator/common-flags';

/** Flags of `devlake create-converter`. */
interface CreateConverterFlags extends CommonFlags {
  model?: string;
  collector?: string;
  domainTable?: string;
}

/** `devlake create-converter <plugin> <name>`: a converter from a tool model to a domain table, with its test, registered. */
export function register(program: Command): void {
  const command = program
    .command('create-converter')
    .description('create a converter (_tool_<plugin>_<model> -> a domain table) with its e2e test, and register it')
    .argument('<plugin>', 'an existing plugin')
    .argument('<name>', 'converter name, e.g. committer')
    .option('--model <name>', 'the tool model (or its table, _tool_<plugin>_<model>) it reads (default with --yes: the name)')
    .option('--collector <name>', 'the collector whose raw table the tool rows came from (default: the model)')
    .option('--domain-table <table>', 'the domain table it writes, e.g. accounts (default with --yes: accounts)');
  addCommonFlags(command)
    .addHelpText('after', '\nExample:\n  $ devlake create-converter icla committer --model committer --domain-table accounts')
    .action(async (plugin: string, name: string, flags: CreateConverterFlags) => {
      /* eslint-disable @typescript-eslint/no-require-imports */
      const { Answers, promptValidator } = require('../generator/answers') as typeof import('../generator/answers');
      const { validateName } = require('../generator/validate') as typeof import('../generator/validate');
      const { domainTables } = require('../generator/domain-targets') as typeof import('../generator/domain-targets');
      const { modelName, planConverter } = require('../generator/plan') as typeof import('../generator/plan');
      const { fsView, pluginsRoot } = require('../generator/locate') as typeof import('../generator/locate');
      const { applyPlan } = require('../generator/apply') as typeof import('../generator/apply');
      /* eslint-enable @typescript-eslint/no-require-imports */
      validateName('plugin', plugin);
      validateName('converter', name);
      const answers = new Answers({ yes: !!flags.yes });
      const model = await answers.ask(
        { flag: '--model <name>', message: 'Which tool model (or tool table) does it read?', kind: 'input', default: name, validate: promptValidator((s) => modelName(plugin, s)) },
        flags.model,
      );
      const domainTable = await answers.ask(
        { flag: '--domain-table <table>', message: 'Which domain table does it write?', kind: 'select', choices: domainTables(), default: 'accounts' },
        flags.domainTable,
      );
      answers.done('create-converter');
      const root = pluginsRoot(flags.dir);
      const files = planConverter(fsView(root), { plugin, name, model, collector: flags.collector, domainTable: domainTable! });
      applyPlan(files, { root, force: flags.force, dryRun: flags.dryRun });
    });
}
