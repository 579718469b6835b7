/**
 * `devlake --help` as commander renders it from every command's registration
 * (at HELP_WIDTH columns), kept as text so the root help prints without
 * loading commander and the nine command modules (~13 ms, a fifth of node's
 * own start-up). test/cli/root-help.test.ts fails with the fresh text when a
 * command, option or description changes: paste it here.
 */
export const ROOT_HELP = [
  'Usage: devlake [options] [command]',
  '',
  'Write and run DevLake-style data plugins: collect HTTP APIs, extract tool',
  'tables, convert to domain tables.',
  '',
  'Options:',
  '  -V, --version                                  output the version number',
  '  --db <url>                                     database URL (default: $DB_URL or sqlite:./devlake.db)',
  '  --log-level <level>                            error | warn | info | debug (default: $LOG_LEVEL or info)',
  '  --verbose                                      debug logs and stack traces on errors',
  '  -h, --help                                     display help for command',
  '',
  'Commands:',
  '  run [options] <plugin>                         migrate, then run a plugin’s subtasks in order',
  '  list [options]                                 list discovered plugins and their subtasks',
  '  migrate [options]                              apply framework, domain and plugin migrations (prints what it applied)',
  '  create-plugin [options] <name>                 create a plugin: index, task data, API client, migrations, e2e test and README',
  '  create-collector [options] <plugin> <name>     create a collector subtask (HTTP API -> _raw_<plugin>_<name>) and register it',
  '  create-extractor [options] <plugin> <name>     create an extractor (raw -> _tool_<plugin>_<model>) with its model, migration and e2e test, and register them',
  '  create-converter [options] <plugin> <name>     create a converter (_tool_<plugin>_<model> -> a domain table) with its e2e test, and register it',
  '  create-migration [options] <plugin> <name>     create a versioned migration script (a new table, or with --table/--column a new column) and register it',
  '  create-e2e-raw [options] <plugin> <raw-table>  export a raw table from the database into <plugin>/e2e/raw_tables/<table>.csv for tests',
  '  serve [options]                                serve the REST API (connections, scopes, plugin resources) and the web page',
  '  secrets                                        manage the encryption of saved connection secrets',
  '  api-key                                        manage the API keys of `devlake serve` (stored hashed)',
  '  pipeline                                       run DevLake pipeline plans (stages of tasks), in process or on queue workers',
  '  blueprint                                      make pipeline plans from a blueprint (connections × scopes, sync policy, cron) and run them',
  '  worker [options]                               run pipeline tasks from a Redis queue (BullMQ); start any number, on any machine sharing the database',
  '  help [command]                                 display help for command',
  '',
  'Examples:',
  '  $ devlake run icla --replay               run the ICLA example offline',
  '  $ devlake list --json                     plugins and their subtasks',
  '  $ devlake create-plugin myapi --endpoint https://api.example.com/ --yes',
  '  $ DB_URL=postgres://postgres@127.0.0.1:5432/devlake devlake migrate',
  '  $ devlake serve                           REST API and web page on http://127.0.0.1:4000/',
  '',
  'Exit codes: 0 success, 1 run failed, 2 usage error, 130 cancelled.',
  '',
].join('\n');
