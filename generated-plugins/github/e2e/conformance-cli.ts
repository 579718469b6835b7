import * as fs from 'node:fs';
import * as path from 'node:path';
import { DevlakeError, isDevlakeError, redact } from 'devlake-ts';
import { runConformance } from './conformance';
import type { ConformanceReport, TestResult } from './conformance';

/** Parsed command line of `npm run conformance`. */
export interface ConformanceArgs {
  db?: string;
  only?: string[];
  report: string;
}

const USAGE = 'Use --db <url>, --only <names>, --report <file>.';

/** Parses `--db <url>`, `--only a,b`, `--report <file>` (also in `--flag=value` form). */
export function parseArgs(argv: string[]): ConformanceArgs {
  const args: ConformanceArgs = { report: 'conformance-report.json' };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes('=') ? [argv[i].slice(0, argv[i].indexOf('=')), argv[i].slice(argv[i].indexOf('=') + 1)] : [argv[i], undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new DevlakeError('DEVLAKE_E_USAGE', `${flag} needs a value`, { hint: USAGE });
      return v;
    };
    if (flag === '--db') args.db = value();
    else if (flag === '--only') args.only = value().split(',').map((s) => s.trim()).filter(Boolean);
    else if (flag === '--report') args.report = value();
    else throw new DevlakeError('DEVLAKE_E_USAGE', `unknown argument ${argv[i]}`, { hint: USAGE });
  }
  return args;
}

/** One line per test: name, PASS/FAIL, tables compared as actual/expected rows. */
export function formatLine(t: TestResult): string {
  const tables = t.tables.map((x) => `${x.table} ${x.actualRows}/${x.expectedRows}${x.mismatches ? ` (${x.mismatches} mismatched)` : ''}`);
  const detail = tables.length > 0 ? tables.join(', ') : 'no tables (checks only)';
  return `${t.passed ? 'PASS' : 'FAIL'} ${t.name.padEnd(24)} ${detail}${t.error ? ` — ${t.error.split('\n')[0]}` : ''}`;
}

/**
 * The JSON written to the report file, exactly the issue's shape:
 * `{ db, tests: [{ name, passed, tables: [{ table, expectedRows, actualRows, mismatches }] }] }`
 * (why a test failed is printed on the console, under its FAIL line).
 */
export function reportJson(report: ConformanceReport): unknown {
  return {
    db: report.db,
    tests: report.tests.map((t) => ({
      name: t.name,
      passed: t.passed,
      tables: t.tables.map((x) => ({ table: x.table, expectedRows: x.expectedRows, actualRows: x.actualRows, mismatches: x.mismatches })),
    })),
  };
}

/** The full reasons of a failed test (diffs, errors), indented, for the lines under its FAIL line. */
export function failureDetail(t: TestResult): string[] {
  return [t.error, ...t.tables.map((x) => x.error)]
    .filter((e): e is string => !!e)
    .flatMap((e) => e.split('\n'))
    .map((l) => `    ${l}`);
}

/**
 * Runs the conformance suite (the GitHub plugin's, or another plugin's `runConformance`
 * as `scripts/conformance.js --plugin <name>` passes it); returns the process exit code (0 only when every test passed).
 * `out` gets exactly one line per test and the closing count; `err` gets the reasons of failures.
 */
export async function main(
  argv: string[],
  out: (line: string) => void = (l) => console.log(l),
  err: (line: string) => void = (l) => console.error(l),
  run: (opts: Parameters<typeof runConformance>[0]) => Promise<ConformanceReport> = runConformance,
): Promise<number> {
  let args: ConformanceArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    out(`conformance: ${describeError(e)}`);
    return 2;
  }
  try {
    const report = await run({
      dbUrl: args.db,
      filter: args.only,
      onResult: (t) => {
        out(formatLine(t));
        for (const line of failureDetail(t)) err(line);
      },
    });
    out(`${report.passed} passed, ${report.failed} failed`);
    fs.writeFileSync(path.resolve(args.report), `${JSON.stringify(reportJson(report), null, 2)}\n`);
    return report.failed === 0 ? 0 : 1;
  } catch (e) {
    out(`conformance: ${describeError(e)}`);
    return 1;
  }
}

/** `CODE: message` and its hint for a DevlakeError, the stack otherwise; secrets masked. */
function describeError(e: unknown): string {
  const msg = isDevlakeError(e) ? `${e.code}: ${e.message}${e.hint ? `\nhint: ${e.hint}` : ''}` : String((e as Error)?.stack ?? e);
  return redact(msg);
}
