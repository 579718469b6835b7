import { Command, CommanderError } from 'commander';
import { ExitCode } from '../core/errors';
import { printError } from './print-error';

/**
 * The `devlake` program. Each command lives in its own file and registers
 * itself; heavy modules (knex, drivers, handlebars, inquirer) are required
 * inside actions only, so `devlake --help` loads commander and nothing else.
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
] as const;

/** Builds the program with every command registered. */
export function buildProgram(): Command {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pkg = require('../../package.json') as { version: string };
  const program = new Command('devlake')
    .description('Write and run DevLake-style data plugins: collect HTTP APIs, extract tool tables, convert to domain tables.')
    .version(pkg.version, '-V, --version')
    .option('--db <url>', 'database URL (default: $DB_URL or sqlite:./devlake.db)')
    .option('--log-level <level>', 'error | warn | info | debug (default: $LOG_LEVEL or info)')
    .option('--verbose', 'debug logs and stack traces on errors')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: () => undefined });
  program.addHelpText(
    'after',
    `
Examples:
  $ devlake run icla --replay               run the ICLA example offline
  $ devlake list --json                     plugins and their subtasks
  $ devlake create-plugin myapi --endpoint https://api.example.com/ --yes
  $ DB_URL=postgres://postgres@127.0.0.1:5432/devlake devlake migrate

Exit codes: 0 success, 1 run failed, 2 usage error, 130 cancelled.`,
  );
  for (const name of COMMANDS) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(`./${name}`) as { register(program: Command): void };
    mod.register(program);
  }
  for (const cmd of program.commands) cmd.exitOverride().configureOutput({ outputError: () => undefined });
  return program;
}

/** Runs the CLI and resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      if (err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return ExitCode.OK;
      return printError(err, { verbose: argv.includes('--verbose') });
    }
    return printError(err, { verbose: argv.includes('--verbose') });
  }
}
