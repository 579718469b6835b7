import type { Command } from 'commander';
import { addCommonFlags, type CommonFlags } from '../generator/common-flags';

/** Flags of `devlake create-plugin`. */
interface CreatePluginFlags extends CommonFlags {
  withApiClient?: boolean;
  apiClient?: boolean;
  endpoint?: string;
  description?: string;
}

/** `devlake create-plugin <name>`: a new plugin skeleton from templates. */
export function register(program: Command): void {
  const command = program
    .command('create-plugin')
    .description('create a plugin: index, task data, API client, migrations, e2e test and README')
    .argument('<name>', 'plugin name: lower-case letters, digits, _ or -')
    .option('--with-api-client', 'the plugin talks to an HTTP API (default with --yes)')
    .option('--no-api-client', 'the plugin has no API client')
    .option('--endpoint <url>', 'the API base URL, e.g. https://api.example.com/')
    .option('--description <text>', 'one line shown by `devlake list`');
  addCommonFlags(command)
    .addHelpText('after', '\nExample:\n  $ devlake create-plugin icla --with-api-client --endpoint https://people.apache.org/')
    .action(async (name: string, flags: CreatePluginFlags, cmd: Command) => {
      /* eslint-disable @typescript-eslint/no-require-imports */
      const { Answers, promptValidator } = require('../generator/answers') as typeof import('../generator/answers');
      const { validateEndpoint, validateName } = require('../generator/validate') as typeof import('../generator/validate');
      const { planPlugin } = require('../generator/plan') as typeof import('../generator/plan');
      const { fsView, pluginsRoot } = require('../generator/locate') as typeof import('../generator/locate');
      const { applyPlan } = require('../generator/apply') as typeof import('../generator/apply');
      /* eslint-enable @typescript-eslint/no-require-imports */
      validateName('plugin', name);
      const answers = new Answers({ yes: !!flags.yes });
      const apiClientGiven = flags.withApiClient ? true : cmd.getOptionValueSource('apiClient') === 'cli' ? false : undefined;
      const withApiClient = await answers.ask(
        { flag: '--with-api-client | --no-api-client', message: 'Does the plugin need an API client?', kind: 'confirm', default: true },
        apiClientGiven,
      );
      // Unanswered (no TTY) counts as yes, so the error lists --endpoint too.
      const endpoint =
        withApiClient !== false
          ? await answers.ask(
              { flag: '--endpoint <url>', message: 'API endpoint (base URL)', kind: 'input', validate: promptValidator(validateEndpoint) },
              flags.endpoint,
            )
          : undefined;
      answers.done('create-plugin');
      const root = pluginsRoot(flags.dir);
      const files = planPlugin({ name, withApiClient: withApiClient !== false, endpoint, description: flags.description }, fsView(root));
      applyPlan(files, { root, force: flags.force, dryRun: flags.dryRun });
    });
}
