import type { Command } from 'commander';
import { addCommonFlags, type CommonFlags } from '../generator/common-flags';

/** Flags of `devlake create-plugin`. */
interface CreatePluginFlags extends CommonFlags {
  withApiClient?: boolean;
  apiClient?: boolean;
  endpoint?: string;
  description?: string;
  testScript?: boolean;
  auth?: string;
  authHeader?: string;
  scopeKey?: string;
  pagination?: string;
}

/** `devlake create-plugin <name>`: a new plugin skeleton from templates. */
export function register(program: Command): void {
  const command = program
    .command('create-plugin')
    .description('create a plugin: index, task data, API client, migrations, e2e test and README')
    .argument('<name>', 'plugin name: lower-case letters and digits, words separated by one _ or - (e.g. my_api)')
    .option('--with-api-client', 'the plugin talks to an HTTP API (default with --yes)')
    .option('--no-api-client', 'the plugin has no API client')
    .option('--endpoint <url>', 'the API base URL, e.g. https://api.example.com/ (required with an API client: it has no default)')
    .option('--description <text>', 'one line shown by `devlake list`')
    .option('--auth <kind>', 'how the API client authenticates: none | bearer (<PLUGIN>_TOKEN) | basic (<PLUGIN>_USERNAME/_PASSWORD) | header (default with --yes: bearer)')
    .option('--auth-header <name>', 'with --auth header: the header sent, e.g. X-Api-Key (its value from <PLUGIN>_AUTH_HEADER_VALUE)')
    .option('--scope-key <option>', 'the task option naming one scope, e.g. name (owner/repo) or projectId (a number: keys ending in Id are); params {"ConnectionId":…,"Name":…} (default: name)')
    .option('--pagination <mode>', 'how the API pages its lists, the default of the plugin\'s collectors: none | page | totalPages | offset | cursor | link (default: none)')
    .option('--no-test-script', "do not add the test:<name> script to the project's package.json");
  addCommonFlags(command)
    .addHelpText(
      'after',
      '\nWith --yes every question takes its default, except --endpoint, which has none: pass it, or --no-api-client.\n\nExample:\n  $ devlake create-plugin icla --with-api-client --endpoint https://people.apache.org/',
    )
    .action(async (name: string, flags: CreatePluginFlags, cmd: Command) => {
      const path = require('node:path') as typeof import('node:path');
      const { Answers, promptValidator } = require('../generator/answers') as typeof import('../generator/answers');
      const { PAGINATION_MODES, validateEndpoint, validateName } = require('../generator/validate') as typeof import('../generator/validate');
      const { scopeKey: scopeKeyOf } = require('../generator/scope-key') as typeof import('../generator/scope-key');
      const { AUTH_KINDS, planPlugin } = require('../generator/plan') as typeof import('../generator/plan');
      const { defaultPluginsDir, findUserProject, fsView, pluginsRoot } = require('../generator/locate') as typeof import('../generator/locate');
      const { applyPlan, displayPath } = require('../generator/apply') as typeof import('../generator/apply');
      const { afterPlugin } = require('../generator/next-steps') as typeof import('../generator/next-steps');
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
      // Asked only at a prompt: without one, scripts written before --auth existed keep working (bearer).
      const auth =
        withApiClient !== false && answers.interactive
          ? await answers.ask({ flag: '--auth <kind>', message: 'How does the API authenticate?', kind: 'select', choices: AUTH_KINDS, default: 'bearer' }, flags.auth)
          : flags.auth;
      const authHeader =
        auth === 'header' && answers.interactive
          ? await answers.ask({ flag: '--auth-header <name>', message: 'Which header carries the credential?', kind: 'input', default: 'X-Api-Key' }, flags.authHeader)
          : flags.authHeader;
      // Asked only at a prompt, like --auth: without one the defaults apply, so CI passes flags.
      const scopeKey = answers.interactive
        ? await answers.ask(
            { flag: '--scope-key <option>', message: 'Task option naming one scope (e.g. name for owner/repo, projectId for a number)', kind: 'input', default: 'name', validate: promptValidator((k) => scopeKeyOf(k).option) },
            flags.scopeKey,
          )
        : flags.scopeKey;
      const pagination =
        withApiClient !== false && answers.interactive
          ? await answers.ask({ flag: '--pagination <mode>', message: 'How does the API page its lists?', kind: 'select', choices: PAGINATION_MODES, default: 'none' }, flags.pagination)
          : flags.pagination;
      answers.done('create-plugin');
      const root = pluginsRoot(flags.dir);
      // In a user's project, the plugin's tests get a package.json script.
      const project = flags.testScript === false ? undefined : findUserProject();
      const pluginDir = project ? path.relative(project.dir, path.join(root, name)).split(path.sep).join('/') : displayPath(root, name);
      const packageJson = project ? { path: path.relative(root, project.file).split(path.sep).join('/'), text: project.text, pluginDir } : undefined;
      // Inside the toolkit's checkout its own jest config runs generated plugins.
      const inCheckout = !project && path.basename(defaultPluginsDir()) === 'generated-plugins';
      const testCommand = inCheckout ? `npx jest ${pluginDir}` : undefined;
      const files = planPlugin(
        { name, withApiClient: withApiClient !== false, endpoint, description: flags.description, packageJson, testCommand, auth, authHeader, scopeKey, pagination },
        fsView(root),
      );
      applyPlan(files, {
        root,
        force: flags.force,
        dryRun: flags.dryRun,
        nextSteps: afterPlugin({ plugin: name, dir: flags.dir, pluginDir, testScript: !!project }, withApiClient !== false),
      });
    });
}
