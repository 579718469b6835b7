import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BenchResult, Measure } from './measure';
import { environment } from './environment';
import { formatTable } from './table';

/** Every measure, in run order: one file each in bench/. Loaded only when selected. */
const MEASURES: Record<string, () => Measure> = {
  raw_insert_sqlite: () => require('../raw_insert_sqlite.ts').measure,
  raw_insert_pg: () => require('../raw_insert_pg.ts').measure,
  extract_sqlite: () => require('../extract_sqlite.ts').measure,
  extract_pg: () => require('../extract_pg.ts').measure,
  raw_insert_mysql: () => require('../raw_insert_mysql.ts').measure,
  extract_mysql: () => require('../extract_mysql.ts').measure,
  collect_http: () => require('../collect_http.ts').measure,
  collect_http_pg: () => require('../collect_http_pg.ts').measure,
  rate_limit: () => require('../rate_limit.ts').measure,
  rate_limit_shared: () => require('../rate_limit_shared.ts').measure,
  memory_scaling: () => require('../memory_scaling.ts').measure,
  run_e2e: () => require('../run_e2e.ts').measure,
  run_e2e_pg: () => require('../run_e2e_pg.ts').measure,
  cli_help: () => require('../cli_help.ts').measure,
  cli_create_plugin: () => require('../cli_create_plugin.ts').measure,
  scale_out_2_workers: () => require('../scale_out_2_workers.ts').measure,
};

const USAGE = `Usage: npm run bench [-- --quick] [-- --only <name>[,<name>…]]

  --quick        smaller sizes: a smoke run of every measure in under a minute
  --only <name>  run only these measures: ${Object.keys(MEASURES).join(', ')}

Each figure is a ratio to a ceiling measured in the same run. Writes bench/results.json.`;

interface Args {
  quick: boolean;
  only: string[] | null;
}

function parseArgs(argv: string[]): Args | string {
  const args: Args = { quick: false, only: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--quick') args.quick = true;
    else if (a === '--only' || a.startsWith('--only=')) {
      const value = a === '--only' ? argv[++i] : a.slice('--only='.length);
      if (!value) return '--only needs a measure name';
      const names = value.split(',').map((s) => s.trim()).filter(Boolean);
      const unknown = names.filter((n) => !(n in MEASURES));
      if (unknown.length > 0) return `unknown measure ${unknown.join(', ')}`;
      args.only = [...(args.only ?? []), ...names];
    } else if (a === '--help' || a === '-h') return '';
    else return `unknown option ${a}`;
  }
  return args;
}

/** Runs the selected measures, prints the table, writes bench/results.json. Returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const parsed = parseArgs(argv);
  if (typeof parsed === 'string') {
    if (parsed) process.stderr.write(`bench: ${parsed}\n\n`);
    process.stdout.write(`${USAGE}\n`);
    return parsed ? 2 : 0;
  }
  const names = parsed.only ?? Object.keys(MEASURES);
  const log = (m: string) => process.stderr.write(`${m}\n`);
  const results: BenchResult[] = [];
  const failures: Array<{ name: string; error: string }> = [];
  const started = Date.now();
  for (const name of names) {
    const t0 = Date.now();
    log(`… ${name}`);
    try {
      results.push(...(await MEASURES[name]!().run({ quick: parsed.quick, log })));
    } catch (err) {
      // One broken measure must not hide the others: record it and go on.
      const error = (err as Error)?.stack ?? String(err);
      failures.push({ name, error: (err as Error)?.message ?? String(err) });
      log(`✗ ${name} failed: ${error}`);
    }
    log(`  ${name} took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  process.stdout.write(`${formatTable(results)}\n`);
  for (const f of failures) process.stdout.write(`${f.name}: not measured (${f.error.split('\n')[0]})\n`);
  const env = await environment();
  const file = path.join(__dirname, '..', 'results.json');
  const report = {
    date: new Date().toISOString(),
    quick: parsed.quick,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    ...env,
    results,
    failures,
  };
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  process.stderr.write(`wrote ${path.relative(process.cwd(), file) || file} (${os.cpus().length} cores, ${report.seconds} s)\n`);
  return failures.length > 0 ? 1 : 0;
}
