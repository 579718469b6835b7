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
    .option('--collector <name>', "the collector (or raw table) the tool rows came from (default: the raw table the model's extractor reads)")
    .option('--domain-table <table>', 'the domain table it writes, e.g. accounts (default with --yes: accounts)');
  addCommonFlags(command)
    .addHelpText('after', '\nExample:\n  $ devlake create-converter icla committer --model committer --domain-table accounts')
    .action(async (plugin: string, name: string, flags: CreateConverterFlags) => {
      const { Answers, promptValidator } = require('../generator/answers') as typeof import('../generator/answers');
      const { validateName } = require('../generator/validate') as typeof import('../generator/validate');
      const { domainTables } = require('../generator/domain-targets') as typeof import('../generator/domain-targets');
      const { collectorName, modelName, planConverter } = require('../generator/plan') as typeof import('../generator/plan');
      const { extractorRawTable, knownRawTables } = require('../generator/plan-converter') as typeof import('../generator/plan-converter');
      const { names } = require('../core/naming') as typeof import('../core/naming');
      const { fsView, nextStepsInput, pluginsRoot } = require('../generator/locate') as typeof import('../generator/locate');
      const { afterOther } = require('../generator/next-steps') as typeof import('../generator/next-steps');
      const { applyPlan } = require('../generator/apply') as typeof import('../generator/apply');
      validateName('plugin', plugin);
      validateName('converter', name);
      const answers = new Answers({ yes: !!flags.yes });
      const model = await answers.ask(
        { flag: '--model <name>', message: 'Which tool model (or tool table) does it read?', kind: 'input', default: name, validate: promptValidator((s) => modelName(plugin, s)) },
        flags.model,
      );
      const root = pluginsRoot(flags.dir);
      const view = fsView(root);
      // The raw table its rows came from: by default the one the model's extractor reads (checked by the plan).
      const modelClass = model ? `${names(plugin).className}${names(modelName(plugin, model)).className}` : undefined;
      const known = knownRawTables(view, plugin);
      // Only asked at a prompt: otherwise the plan takes the extractor's raw table, or says why it cannot.
      const collector = !answers.interactive ? flags.collector : await answers.ask(
        {
          flag: '--collector <name>',
          message: `Which raw table did the ${model ?? name} rows come from? (${known.join(', ') || 'none yet'})`,
          kind: 'input',
          default: (modelClass && extractorRawTable(view, plugin, modelClass)) || undefined,
          validate: promptValidator((s) => collectorName(plugin, s)),
        },
        flags.collector,
      );
      const domainTable = await answers.ask(
        { flag: '--domain-table <table>', message: 'Which domain table does it write?', kind: 'select', choices: domainTables(), default: 'accounts' },
        flags.domainTable,
      );
      answers.done('create-converter');
      const files = planConverter(view, { plugin, name, model, collector, domainTable: domainTable! });
      applyPlan(files, { root, force: flags.force, dryRun: flags.dryRun, nextSteps: afterOther(nextStepsInput(root, plugin, flags.dir)) });
    });
}
