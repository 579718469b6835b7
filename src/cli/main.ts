import type { Command } from 'commander';
import { commandName } from './respawn';
import { ROOT_HELP } from './root-help';

/**
 * The `devlake` program. Each command lives in its own file and registers
 * itself; only the command being run is required (all of them for the root
 * help's fallbacks and `help <command>`), heavy modules (knex, drivers,
 * handlebars, inquirer) load inside actions, and `devlake --help` prints
 * {@link ROOT_HELP} without loading commander at all.
 */
export const COMMANDS = [
  'run',
  'list',
  'migrate',
  'create-plugin',
  'create-collector',
  'create-extractor',
  'create-converter',
  'create-migration',
  'create-e2e-raw',
  'serve',
  'secrets',
  'api-key',
  'pipeline',
  'blueprint',
  'worker',
] as const;

/** Text after the root help: examples and exit codes. */
export const ROOT_HELP_AFTER = `
Examples:
  $ devlake run icla --replay               run the ICLA example offline
  $ devlake list --json                     plugins and their subtasks
  $ devlake create-plugin myapi --endpoint https://api.example.com/ --yes
  $ DB_URL=postgres://postgres@127.0.0.1:5432/devlake devlake migrate
  $ devlake serve                           REST API and web page on http://127.0.0.1:4000/

Exit codes: 0 success, 1 run failed, 2 usage error, 130 cancelled.`;

/** Help is laid out for 80 columns whatever the terminal, so the root help can be printed from a constant. */
export const HELP_WIDTH = 80;

/** Builds the program with the named commands registered (default: all). */
export function buildProgram(only: readonly string[] = COMMANDS): Command {
  const { Command } = require('commander') as typeof import('commander');
  const pkg = require('../../package.json') as { version: string };
  const program = new Command('devlake')
    .description('Write and run DevLake-style data plugins: collect HTTP APIs, extract tool tables, convert to domain tables.')
    .version(pkg.version, '-V, --version')
    .option('--db <url>', 'database URL (default: $DB_URL or sqlite:./devlake.db)')
    .option('--log-level <level>', 'error | warn | info | debug (default: $LOG_LEVEL or info)')
    .option('--verbose', 'debug logs and stack traces on errors')
    .showSuggestionAfterError(true)
    .configureHelp({ helpWidth: HELP_WIDTH })
    .exitOverride()
    .configureOutput({ outputError: () => undefined });
  program.addHelpText('after', ROOT_HELP_AFTER);
  for (const name of only) {
    const mod = require(`./${name}`) as { register(program: Command): void };
    mod.register(program);
  }
  for (const cmd of program.commands) cmd.exitOverride().configureOutput({ outputError: () => undefined });
  return program;
}

/** Whether `argv` asks for the root help and nothing else. */
function isRootHelp(argv: readonly string[]): boolean {
  return argv.length === 3 && (argv[2] === '--help' || argv[2] === '-h');
}

/** Runs the CLI and resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  if (isRootHelp(argv)) {
    process.stdout.write(ROOT_HELP);
    return 0;
  }
  const name = commandName(argv);
  const program = buildProgram(name !== undefined && (COMMANDS as readonly string[]).includes(name) ? [name] : COMMANDS);
  const { ExitCode } = require('../core/errors') as typeof import('../core/errors');
  const { printError } = require('./print-error') as typeof import('./print-error');
  const { CommanderError } = require('commander') as typeof import('commander');
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.OK;
  } catch (err) {
    // --help and --version exit through here with code 0.
    const helpOrVersion =
      err instanceof CommanderError && (err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version');
    return helpOrVersion ? ExitCode.OK : printError(err, { verbose: argv.includes('--verbose') });
  }
}
