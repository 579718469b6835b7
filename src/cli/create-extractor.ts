import type { Command } from 'commander';
import { addCommonFlags, type CommonFlags } from '../generator/common-flags';

/** Flags of `devlake create-extractor`. */
interface CreateExtractorFlags extends CommonFlags {
  collector?: string;
  model?: string;
  primaryKey?: string;
}

/** `devlake create-extractor <plugin> <name>`: extractor, tool model, its migration and a DataFlowTester test, registered. */
export function register(program: Command): void {
  const command = program
    .command('create-extractor')
    .description('create an extractor (raw -> _tool_<plugin>_<model>) with its model, migration and e2e test, and register them')
    .argument('<plugin>', 'an existing plugin')
    .argument('<name>', 'extractor name, e.g. committer')
    .option('--collector <name>', 'the collector (or its raw table, _raw_<plugin>_<name>) it reads (default with --yes: the name)')
    .option('--model <name>', 'the tool model it writes (default with --yes: the name)')
    .option(
      '--primary-key <fields>',
      'the record field(s) that identify it: one (id, userId) or several separated by commas (connection_id,gitlab_id); columns are their snake_case (default with --yes: id)',
    );
  addCommonFlags(command)
    .addHelpText('after', '\nExamples:\n  $ devlake create-extractor icla committer --collector committer --model committer --primary-key user_name\n  $ devlake create-extractor gitlab mr --primary-key connection_id,gitlab_id')
    .action(async (plugin: string, name: string, flags: CreateExtractorFlags) => {
      /* eslint-disable @typescript-eslint/no-require-imports */
      const { Answers, promptValidator } = require('../generator/answers') as typeof import('../generator/answers');
      const { parsePrimaryKey, validateName } = require('../generator/validate') as typeof import('../generator/validate');
      const { collectorName, planExtractor } = require('../generator/plan') as typeof import('../generator/plan');
      const { fsView, nextStepsInput, pluginsRoot } = require('../generator/locate') as typeof import('../generator/locate');
      const { applyPlan } = require('../generator/apply') as typeof import('../generator/apply');
      const { afterExtractor } = require('../generator/next-steps') as typeof import('../generator/next-steps');
      /* eslint-enable @typescript-eslint/no-require-imports */
      validateName('plugin', plugin);
      validateName('extractor', name);
      if (flags.primaryKey !== undefined) parsePrimaryKey(flags.primaryKey);
      const answers = new Answers({ yes: !!flags.yes });
      const collector = await answers.ask(
        { flag: '--collector <name>', message: 'Which collector (or raw table) does it read?', kind: 'input', default: name, validate: promptValidator((s) => collectorName(plugin, s)) },
        flags.collector,
      );
      const model = await answers.ask(
        { flag: '--model <name>', message: "The tool model's name", kind: 'input', default: name, validate: promptValidator((s) => validateName('model', s)) },
        flags.model,
      );
      const primaryKey = await answers.ask(
        { flag: '--primary-key <fields>', message: 'The record field(s) of the primary key (comma-separated)', kind: 'input', default: 'id', validate: promptValidator(parsePrimaryKey) },
        flags.primaryKey,
      );
      answers.done('create-extractor');
      const root = pluginsRoot(flags.dir);
      const files = planExtractor(fsView(root), { plugin, name, collector, model, primaryKey });
      applyPlan(files, {
        root,
        force: flags.force,
        dryRun: flags.dryRun,
        nextSteps: afterExtractor(nextStepsInput(root, plugin, flags.dir), model!),
      });
    });
}
