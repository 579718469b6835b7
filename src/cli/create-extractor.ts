import type { Command } from 'commander';
import { addCommonFlags, type CommonFlags } from '../generator/common-flags';

/** Flags of `devlake create-extractor`. */
interface CreateExtractorFlags extends CommonFlags {
  collector?: string;
  model?: string;
  primaryKey?: string;
  fromSample?: string;
  recordPath?: string;
  match?: string;
  flattenDepth?: string;
  columns?: string;
  zeroValues?: boolean;
  domainTypes?: string;
  declarative?: boolean;
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
    )
    .option('--from-sample <file>', 'infer the table from a response body (JSON), JSON lines or a cassette from devlake run --record; its records become the test fixture')
    .option('--record-path <a.b>', 'with --from-sample: where the records are in a response (default: guessed, e.g. items)')
    .option('--match <url-part>', 'with a cassette: only responses whose URL contains this')
    .option('--no-declarative', 'with --from-sample: an extractor() with a mapping function instead of the default mappedExtractor() with one pick rule per column (run as SQL)')
    .option(
      '--columns <spec>',
      'with --from-sample: the columns to keep, in order, as column[=path][:kind] separated by commas (state, url=html_url, milestone_id=milestone.id, body:text, github_id=id:bigint); kinds: string(N), text, bigint, int, uint64, float, bool, datetime, json. The key columns are always kept (default: every field of the sample)',
    )
    .option('--domain-types <list>', 'the DomainTypes the subtask declares: CODE, TICKET, CODE_REVIEW, CROSS, CICD, CODE_QUALITY, separated by commas (default CROSS)')
    .option('--zero-values', "a record without a value stores Go's zero value ('', 0, false; times and JSON stay NULL) instead of NULL, as DevLake's models do: for a port of a DevLake plugin")
    .option('--flatten-depth <n>', 'with --from-sample: levels of nested objects flattened into columns (user.login → user_login); deeper ones are kept as json (default 2)');
  addCommonFlags(command)
    .addHelpText('after', '\nExamples:\n  $ devlake create-extractor icla committer --collector committer --model committer --primary-key user_name\n  $ devlake create-extractor gitlab mr --primary-key connection_id,gitlab_id\n  $ devlake create-extractor github issues --from-sample issues.json --primary-key id\n  $ devlake create-extractor github issue --model issues --from-sample issues.json \\\n      --columns github_id=id:bigint,number:bigint,state:text,title:text,body:json,url=html_url:text,milestone_id=milestone.id:bigint,closed_at,github_created_at=created_at \\\n      --zero-values')
    .action(async (plugin: string, name: string, flags: CreateExtractorFlags) => {
      const { Answers, promptValidator } = require('../generator/answers') as typeof import('../generator/answers');
      const { parseDomainTypes, parsePrimaryKey, validateName } = require('../generator/validate') as typeof import('../generator/validate');
      const { collectorName, planExtractor } = require('../generator/plan') as typeof import('../generator/plan');
      const { fsView, nextStepsInput, pluginsRoot } = require('../generator/locate') as typeof import('../generator/locate');
      const { applyPlan } = require('../generator/apply') as typeof import('../generator/apply');
      const { afterExtractor } = require('../generator/next-steps') as typeof import('../generator/next-steps');
      validateName('plugin', plugin);
      validateName('extractor', name);
      if (flags.primaryKey !== undefined && flags.fromSample === undefined) parsePrimaryKey(flags.primaryKey);
      if (flags.domainTypes !== undefined) parseDomainTypes(flags.domainTypes);
      if (flags.columns !== undefined && flags.fromSample === undefined) {
        const { DevlakeError } = require('../core/errors') as typeof import('../core/errors');
        throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', '--columns picks columns of a sample: it needs --from-sample', {
          hint: 'Pass --from-sample <file> (a response body, JSON lines or a cassette) with --columns.',
        });
      }
      // A malformed spec fails before any question is asked.
      const spec = flags.columns === undefined ? undefined : (require('../generator/column-spec') as typeof import('../generator/column-spec')).parseColumnSpec(flags.columns);
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
        {
          flag: '--primary-key <fields>',
          message: 'The record field(s) of the primary key (comma-separated)',
          kind: 'input',
          default: 'id',
          // A sample's key may be nested (user.id); the inference checks it against the records.
          validate: flags.fromSample === undefined ? promptValidator(parsePrimaryKey) : undefined,
        },
        flags.primaryKey,
      );
      answers.done('create-extractor');
      const root = pluginsRoot(flags.dir);
      const table = flags.fromSample === undefined ? undefined : await sampleTable(plugin, model!, primaryKey, flags, spec, answers.interactive);
      const files = planExtractor(fsView(root), { plugin, name, collector, model, primaryKey, table, declarative: table ? flags.declarative !== false : false, zeroValues: flags.zeroValues, domainTypes: flags.domainTypes });
      applyPlan(files, {
        root,
        force: flags.force,
        dryRun: flags.dryRun,
        nextSteps: afterExtractor(nextStepsInput(root, plugin, flags.dir), model!),
      });
    });
}

/**
 * The table inferred from `--from-sample`, cut to `--columns` when given; at a
 * prompt, shown and open to the same spec (without the flag), then to dropping
 * and renaming columns.
 */
async function sampleTable(
  plugin: string,
  model: string,
  primaryKey: string | undefined,
  flags: CreateExtractorFlags,
  spec: import('../generator/column-spec').ColumnPick[] | undefined,
  interactive: boolean,
): Promise<import('../generator/columns').TableShape> {
  const { DevlakeError } = require('../core/errors') as typeof import('../core/errors');
  const { snakeCase, toolTableName } = require('../core/naming') as typeof import('../core/naming');
  const infer = require('../generator/infer-sample') as typeof import('../generator/infer-sample');
  const { readSample } = require('../generator/read-sample') as typeof import('../generator/read-sample');
  const depth = flags.flattenDepth === undefined ? undefined : Number(flags.flattenDepth);
  if (depth !== undefined && !(Number.isInteger(depth) && depth >= 1 && depth <= 5)) {
    throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', `--flatten-depth "${flags.flattenDepth}" is not a whole number from 1 to 5`, {
      hint: 'Pass --flatten-depth 1 (top-level fields only, objects as json), 2 (the default: user.login → user_login) or more.',
    });
  }
  const sample = readSample(flags.fromSample!, { recordPath: flags.recordPath, match: flags.match });
  const { parseColumnSpec, selectColumns } = require('../generator/column-spec') as typeof import('../generator/column-spec');
  let shape = infer.inferTable(sample.records, { prefix: snakeCase(plugin), primaryKey, flattenDepth: depth });
  if (spec) shape = selectColumns(shape, spec);
  if (interactive) {
    const prompts = require('@inquirer/prompts') as typeof import('@inquirer/prompts');
    process.stdout.write(`${infer.describeTable(toolTableName(plugin, model), shape)}\n`);
    if (!spec) {
      const keep = await prompts.input({ message: 'Columns to keep (column[=path][:kind], comma-separated, e.g. url=html_url,body:text; empty for all)', default: '' });
      if (keep.trim() !== '') {
        shape = selectColumns(shape, parseColumnSpec(keep));
        process.stdout.write(`${infer.describeTable(toolTableName(plugin, model), shape)}\n`);
      }
    }
    const drop = await prompts.input({ message: 'Columns to drop (comma-separated, empty for none)', default: '' });
    const rename = await prompts.input({ message: 'Columns to rename (old=new, comma-separated, empty for none)', default: '' });
    const edits = infer.parseEdits(drop, rename);
    shape = infer.editColumns(shape, edits.drop, edits.rename);
  }
  return shape;
}
