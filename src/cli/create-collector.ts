import type { Command } from 'commander';
import { addCommonFlags, type CommonFlags } from '../generator/common-flags';

/** Flags of `devlake create-collector`. */
interface CreateCollectorFlags extends CommonFlags {
  httpPath?: string;
  pagination?: string;
  domainTypes?: string;
  fromSample?: string;
  recordPath?: string;
  match?: string;
}

/** `devlake create-collector <plugin> <name>`: an ApiCollector subtask, registered in the plugin. */
export function register(program: Command): void {
  const command = program
    .command('create-collector')
    .description('create a collector subtask (HTTP API -> _raw_<plugin>_<name>) and register it')
    .argument('<plugin>', 'an existing plugin')
    .argument('<name>', 'collector name, e.g. committer')
    .option('--http-path <path>', 'API path relative to the endpoint (default with --yes: the name)')
    .option('--pagination <mode>', 'none | page | totalPages | offset | cursor | link (default with --yes: what --from-sample suggests, else the pagination of create-plugin --pagination, else none)')
    .option('--from-sample <file>', 'a response body (JSON), JSON lines or a cassette from devlake run --record: proposes the pagination and where the records are')
    .option('--domain-types <list>', 'the DomainTypes the subtask declares: CODE, TICKET, CODE_REVIEW, CROSS, CICD, CODE_QUALITY, separated by commas (default CROSS)')
    .option('--record-path <a.b>', 'with --from-sample: where the records are in a response (default: guessed, e.g. items)')
    .option('--match <url-part>', 'with a cassette: only responses whose URL contains this');
  addCommonFlags(command)
    .addHelpText('after', '\nExample:\n  $ devlake create-collector icla committer --http-path public/icla-info.json --pagination none')
    .action(async (plugin: string, name: string, flags: CreateCollectorFlags) => {
      const { Answers, promptValidator } = require('../generator/answers') as typeof import('../generator/answers');
      const v = require('../generator/validate') as typeof import('../generator/validate');
      const { planCollector, pluginPagination } = require('../generator/plan') as typeof import('../generator/plan');
      const { fsView, nextStepsInput, pluginsRoot } = require('../generator/locate') as typeof import('../generator/locate');
      const { afterCollector } = require('../generator/next-steps') as typeof import('../generator/next-steps');
      const { applyPlan } = require('../generator/apply') as typeof import('../generator/apply');
      v.validateName('plugin', plugin);
      v.validateName('collector', name);
      if (flags.domainTypes !== undefined) v.parseDomainTypes(flags.domainTypes);
      const answers = new Answers({ yes: !!flags.yes });
      const root = pluginsRoot(flags.dir);
      // The API's pagination, declared by create-plugin --pagination, unless a sample says otherwise.
      const apiPagination = pluginPagination(fsView(root), plugin);
      const proposal = flags.fromSample === undefined ? undefined : samplePagination(flags);
      const httpPath = await answers.ask(
        { flag: '--http-path <path>', message: 'HTTP path (relative to the endpoint)', kind: 'input', default: name, validate: promptValidator(v.validateHttpPath) },
        flags.httpPath,
      );
      const pagination = await answers.ask(
        {
          flag: '--pagination <mode>',
          message: proposal ? `Pagination (the sample suggests ${proposal.mode}: ${proposal.reason})` : 'Pagination',
          kind: 'select',
          choices: v.PAGINATION_MODES,
          default: proposal?.mode ?? apiPagination,
        },
        flags.pagination,
      );
      answers.done('create-collector');
      const files = planCollector(fsView(root), {
        plugin,
        name,
        httpPath: httpPath!,
        pagination: v.validatePagination(pagination!),
        recordPath: proposal?.recordPath,
        cursorPath: proposal?.cursorPath,
        totalPagesPath: proposal?.totalPagesPath,
        domainTypes: flags.domainTypes,
      });
      applyPlan(files, { root, force: flags.force, dryRun: flags.dryRun, nextSteps: afterCollector(nextStepsInput(root, plugin, flags.dir), name) });
    });
}

/** The pagination and record path a sample suggests. */
function samplePagination(flags: CreateCollectorFlags) {
  const { readSample } = require('../generator/read-sample') as typeof import('../generator/read-sample');
  const { proposePagination } = require('../generator/infer-sample') as typeof import('../generator/infer-sample');
  const sample = readSample(flags.fromSample!, { recordPath: flags.recordPath, match: flags.match });
  return { ...proposePagination(sample), recordPath: sample.recordPath };
}
