import * as path from 'node:path';
import { DevlakeError, isDevlakeError, redact } from 'devlake-ts';
import type { Dal, SubTaskMeta } from 'devlake-ts';
import { DataFlowTester, databases, freshDatabase } from 'devlake-ts/testing';
import plugin from '../index';
import type { GithubTaskData } from '../tasks/task-data';
import { resetExcludedUsernames } from '../tasks/username-filter';
import { defaultConformanceDir, loadManifest } from './manifest';
import type { Manifest, ManifestStep, ManifestTest } from './manifest';

/** The result of one verify (or query) step. */
export interface TableResult {
  table: string;
  snapshot?: string;
  expectedRows: number;
  actualRows: number;
  mismatches: number;
  error?: string;
}

/** The result of one manifest test. */
export interface TestResult {
  name: string;
  passed: boolean;
  tables: TableResult[];
  error?: string;
}

/** What `runConformance` returns and the CLI writes to conformance-report.json. */
export interface ConformanceReport {
  /** The database URL with credentials redacted, or the dialect for test databases. */
  db: string;
  tests: TestResult[];
  passed: number;
  failed: number;
}

/** A fresh, empty database for one test, and how to dispose of it. */
export interface FreshDb {
  dal: Dal;
  drop(): Promise<void>;
}

/** Options of `runConformance`. */
export interface ConformanceOptions {
  /** A database URL (`sqlite:…` or `postgres://…`); each test gets a fresh file or schema of it. */
  dbUrl?: string;
  /** Or: a factory for a fresh database per test (e.g. `databases()[0].open`). Default: fresh SQLite files. */
  openDb?: () => Promise<FreshDb>;
  /** Run only these tests (by manifest name). */
  filter?: string[];
  /** The conformance data directory. Default: `defaultConformanceDir()`. */
  dir?: string;
  /** Called after each test, e.g. to print a line. */
  onResult?: (result: TestResult) => void;
}

/** JSON-typed columns holding MySQL-normalized JSON in the snapshots: compared as parsed JSON. */
const JSON_COLUMNS: Record<string, string[]> = { _tool_github_jobs: ['steps', 'labels'] };

/** Runs every (or the selected) manifest test, each on a fresh database. */
export async function runConformance(opts: ConformanceOptions = {}): Promise<ConformanceReport> {
  const dir = opts.dir ?? defaultConformanceDir();
  const manifest = loadManifest(dir);
  const wanted = opts.filter && opts.filter.length > 0 ? new Set(opts.filter) : undefined;
  if (wanted) {
    const unknown = [...wanted].filter((n) => !manifest.tests.some((t) => t.name === n));
    if (unknown.length > 0) {
      throw new DevlakeError('DEVLAKE_E_USAGE', `Unknown conformance test(s): ${unknown.join(', ')}`, {
        hint: `Known tests: ${manifest.tests.map((t) => t.name).join(', ')}.`,
      });
    }
  }
  const open = opts.openDb ?? (opts.dbUrl ? () => freshDatabase(opts.dbUrl!, 'conformance') : databases().find((d) => d.name === 'sqlite')!.open);
  const tests: TestResult[] = [];
  for (const test of manifest.tests) {
    if (wanted && !wanted.has(test.name)) continue;
    const db = await open();
    let result: TestResult;
    try {
      result = await runConformanceTest(test, manifest, db.dal, dir);
    } finally {
      await db.drop();
    }
    tests.push(result);
    opts.onResult?.(result);
  }
  const passed = tests.filter((t) => t.passed).length;
  return { db: opts.dbUrl ? redact(opts.dbUrl) : 'sqlite (fresh file per test)', tests, passed, failed: tests.length - passed };
}

/** Runs one manifest test on an empty database: migrate, then every step in order. */
export async function runConformanceTest(test: ManifestTest, manifest: Manifest, dal: Dal, dir: string): Promise<TestResult> {
  const tester = new DataFlowTester({ dal, plugin });
  const result: TestResult = { name: test.name, passed: false, tables: [] };
  const envBefore = { ...process.env };
  try {
    await tester.migrate();
    const options = (test.options ?? {}) as Record<string, unknown>;
    let taskData: GithubTaskData | undefined;
    const data = async (): Promise<GithubTaskData> => {
      if (!taskData) {
        taskData = await tester.prepareTaskData<GithubTaskData>(options);
        for (const [name, pattern] of Object.entries(test.regexEnricher ?? {})) taskData.regexEnricher.tryAdd(name, pattern);
      }
      return taskData;
    };
    for (const step of test.steps) {
      const table = await runStep(step, { tester, dal, manifest, dir, options, data });
      if (table) result.tables.push(table);
    }
    result.passed = result.tables.every((t) => !t.error);
  } catch (err) {
    result.error = redact(isDevlakeError(err) || err instanceof Error ? err.message : String(err));
  } finally {
    restoreEnv(envBefore);
    resetExcludedUsernames();
  }
  return result;
}

interface StepEnv {
  tester: DataFlowTester;
  dal: Dal;
  manifest: Manifest;
  dir: string;
  options: Record<string, unknown>;
  data(): Promise<GithubTaskData>;
}

async function runStep(step: ManifestStep, env: StepEnv): Promise<TableResult | undefined> {
  const { tester, dir } = env;
  if (step.import !== undefined) {
    const file = path.join(dir, step.import);
    if (step.mode === 'raw') await tester.importCsvIntoRawTable(file, step.into!);
    else await tester.importCsvIntoTable(file, step.into!);
  } else if (step.flush !== undefined) {
    await tester.flushTable(step.flush);
  } else if (step.subtask !== undefined) {
    await tester.runSubtask(subtask(step.subtask), await env.data(), { options: env.options });
  } else if (step.verify !== undefined) {
    return verify(step, env);
  } else if (step.regexEnricherAdd !== undefined) {
    (await env.data()).regexEnricher.tryAdd(step.regexEnricherAdd.name, step.regexEnricherAdd.pattern);
  } else if (step.setEnv !== undefined) {
    for (const [k, v] of Object.entries(step.setEnv)) process.env[k] = v;
  } else if (step.unsetEnv !== undefined) {
    delete process.env[step.unsetEnv];
  } else if (step.resetExcludedUsernames !== undefined) {
    resetExcludedUsernames();
  } else if (step.query !== undefined) {
    return query(step, env);
  } else if (step.assertSubtaskEnabledByDefault !== undefined) {
    const meta = subtask(step.assertSubtaskEnabledByDefault);
    if (meta.enabledByDefault !== step.equals) {
      throw new DevlakeError('DEVLAKE_E_SUBTASK_FAILED', `Subtask "${meta.name}" has enabledByDefault ${meta.enabledByDefault}, expected ${step.equals}`, {
        hint: 'Match DevLake\'s EnabledByDefault for this subtask.',
      });
    }
  } else {
    throw new DevlakeError('DEVLAKE_E_CONFIG', `Unknown manifest step ${JSON.stringify(step)}`, { hint: 'Update the conformance runner for this step kind.' });
  }
  return undefined;
}

function subtask(name: string): SubTaskMeta<GithubTaskData> {
  const meta = plugin.subTaskMetas().find((m) => m.name === name);
  if (!meta) {
    throw new DevlakeError('DEVLAKE_E_SUBTASK_UNKNOWN', `The GitHub plugin has no subtask "${name}"`, {
      hint: 'Add the subtask to generated-plugins/github/tasks/index.ts.',
    });
  }
  return meta;
}

async function verify(step: ManifestStep, env: StepEnv): Promise<TableResult> {
  const table = step.verify!;
  const actualRows = await countRows(env.dal, table);
  const res: TableResult = { table, snapshot: step.snapshot, expectedRows: step.snapshotRows ?? 0, actualRows, mismatches: 0 };
  try {
    await env.tester.verifyTable(table, path.join(env.dir, step.snapshot!), {
      columns: step.columns,
      primaryKey: step.primaryKey,
      jsonColumns: JSON_COLUMNS[table],
    });
  } catch (err) {
    if (!isDevlakeError(err) || err.code !== 'DEVLAKE_E_SNAPSHOT_MISMATCH') throw err;
    const n = Number((err.data as { differences?: number } | undefined)?.differences ?? 0);
    // A failed verify always counts at least one mismatch (e.g. a listed column the table lacks).
    res.mismatches = Math.max(1, n > 0 ? n : Math.abs(res.expectedRows - actualRows));
    res.error = err.message;
  }
  return res;
}

async function query(step: ManifestStep, env: StepEnv): Promise<TableResult> {
  const table = step.query!;
  const pk = env.manifest.tables[table]?.primaryKey ?? [];
  const rows = (await env.dal.knex(table).select('*').where(step.where ?? {}).orderBy(pk)) as Array<Record<string, unknown>>;
  const res: TableResult = { table, expectedRows: step.expectCount ?? 0, actualRows: rows.length, mismatches: 0 };
  const problems: string[] = [];
  if (step.expectCount !== undefined && rows.length !== step.expectCount) problems.push(`expected ${step.expectCount} rows, got ${rows.length}`);
  if (step.expectFirstRow && rows.length > 0) {
    for (const [k, v] of Object.entries(step.expectFirstRow)) {
      if (String(rows[0][k]) !== String(v)) problems.push(`first row ${k}: expected ${String(v)}, got ${String(rows[0][k])}`);
    }
  }
  if (problems.length > 0) {
    res.mismatches = problems.length;
    res.error = `${table}: ${problems.join('; ')}`;
  }
  return res;
}

async function countRows(dal: Dal, table: string): Promise<number> {
  const [row] = (await dal.knex(table).count({ n: '*' })) as Array<{ n: number | string }>;
  return Number(row?.n ?? 0);
}

function restoreEnv(before: NodeJS.ProcessEnv): void {
  for (const k of Object.keys(process.env)) if (!(k in before)) delete process.env[k];
  for (const [k, v] of Object.entries(before)) if (process.env[k] !== v) process.env[k] = v;
}
