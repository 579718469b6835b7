import * as path from 'node:path';
import type { Dal } from '../core/dal';
import { DevlakeError, isDevlakeError } from '../core/errors';
import type { Plugin, SubTaskMeta } from '../core/plugin';
import { redact } from '../core/redact';
import { databases, freshDatabase } from './databases';
import { DataFlowTester } from './dataflow-tester';
import type { Manifest, ManifestStep, ManifestTest } from './e2e-manifest';

/** The result of one verify (or query) step. */
export interface E2eTableResult {
  table: string;
  snapshot?: string;
  expectedRows: number;
  actualRows: number;
  mismatches: number;
  error?: string;
}

/** The result of one manifest test. */
export interface E2eTestResult {
  name: string;
  passed: boolean;
  tables: E2eTableResult[];
  error?: string;
}

/** What runE2eManifest returns. */
export interface E2eReport {
  /** The database URL with credentials redacted, or a description of the test databases. */
  db: string;
  tests: E2eTestResult[];
  passed: number;
  failed: number;
}

/** What a test's steps share: the tester, its database, the task data (made on first use). */
export interface E2eStepEnv<TData = unknown> {
  tester: DataFlowTester;
  dal: Dal;
  manifest: Manifest;
  test: ManifestTest;
  /** The directory the manifest's CSV paths are relative to. */
  dir: string;
  /** The test's task options. */
  options: Record<string, unknown>;
  /** The task data (`prepareTaskData(options)`, then `onTaskData`), made once per test. */
  data(): Promise<TData>;
}

/** Options of {@link runE2eManifest}. */
export interface RunE2eManifestOptions<TData = unknown> {
  /** The directory holding the manifest's `raw_tables/` and `snapshot_tables/`. */
  dir: string;
  /** A database URL (`sqlite:…`, `postgres://…`); each test gets a fresh file or schema of it. */
  dbUrl?: string;
  /** Or: a fresh database per test (e.g. `databases()[1].open`). Default: fresh SQLite files. */
  openDb?: () => Promise<{ dal: Dal; drop(): Promise<void> }>;
  /** Run only these tests (by manifest name). */
  filter?: string[];
  /** Columns compared as parsed JSON, per table (DevLake's snapshots hold MySQL-normalised JSON). */
  jsonColumns?: Record<string, string[]>;
  /** Override to adjust the task data once made (e.g. add the test's regex patterns). */
  onTaskData?: (data: TData, test: ManifestTest) => void | Promise<void>;
  /** Steps of the plugin's own, by action key (`{ resetExcludedUsernames: () => … }`). */
  steps?: Record<string, (step: ManifestStep, env: E2eStepEnv<TData>) => void | Promise<void>>;
  /** Runs after each test, pass or fail (reset process-wide state the plugin keeps). */
  afterTest?: () => void | Promise<void>;
  /** Called after each test, e.g. to print a line. */
  onResult?: (result: E2eTestResult) => void;
}

/**
 * Runs a DevLake-style e2e manifest against a plugin, each test on a fresh
 * database: migrate, then its steps in order (CSV imports into raw or tool
 * tables, flushes, subtasks, snapshot verifies with listed-but-absent columns
 * read as NULL as DevLake does, queries, environment changes). A failing test
 * does not stop the others; the report lists each table's mismatches.
 *
 * @example
 * const report = await runE2eManifest(loadE2eManifest(dir), plugin, { dir, openDb: databases()[0].open });
 * expect(report.failed).toBe(0);
 */
export async function runE2eManifest<TData = unknown>(manifest: Manifest, plugin: Plugin, options: RunE2eManifestOptions<TData>): Promise<E2eReport> {
  const wanted = options.filter && options.filter.length > 0 ? new Set(options.filter) : undefined;
  if (wanted) {
    const unknown = [...wanted].filter((n) => !manifest.tests.some((t) => t.name === n));
    if (unknown.length > 0) {
      throw new DevlakeError('DEVLAKE_E_USAGE', `Unknown e2e test(s): ${unknown.join(', ')}`, {
        hint: `Known tests: ${manifest.tests.map((t) => t.name).join(', ')}.`,
      });
    }
  }
  const open = options.openDb ?? (options.dbUrl ? () => freshDatabase(options.dbUrl!, 'e2e') : databases().find((d) => d.name === 'sqlite')!.open);
  const tests: E2eTestResult[] = [];
  for (const test of manifest.tests) {
    if (wanted && !wanted.has(test.name)) continue;
    const db = await open();
    let result: E2eTestResult;
    try {
      result = await runE2eTest(test, manifest, plugin, db.dal, options);
    } finally {
      await db.drop();
    }
    tests.push(result);
    options.onResult?.(result);
  }
  const passed = tests.filter((t) => t.passed).length;
  return { db: options.dbUrl ? redact(options.dbUrl) : 'sqlite (fresh file per test)', tests, passed, failed: tests.length - passed };
}

/** Runs one manifest test on an empty database: migrate, then every step in order. */
export async function runE2eTest<TData>(
  test: ManifestTest,
  manifest: Manifest,
  plugin: Plugin,
  dal: Dal,
  options: RunE2eManifestOptions<TData>,
): Promise<E2eTestResult> {
  const tester = new DataFlowTester({ dal, plugin });
  const result: E2eTestResult = { name: test.name, passed: false, tables: [] };
  const envBefore = { ...process.env };
  try {
    await tester.migrate();
    const taskOptions = (test.options ?? {}) as Record<string, unknown>;
    let taskData: TData | undefined;
    const env: E2eStepEnv<TData> = {
      tester,
      dal,
      manifest,
      test,
      dir: options.dir,
      options: taskOptions,
      async data() {
        if (taskData === undefined) {
          taskData = await tester.prepareTaskData<TData>(taskOptions);
          await options.onTaskData?.(taskData, test);
        }
        return taskData;
      },
    };
    for (const step of test.steps) {
      const table = await runStep(step, env, plugin, options);
      if (table) result.tables.push(table);
    }
    result.passed = result.tables.every((t) => !t.error);
  } catch (err) {
    result.error = redact(err instanceof Error ? err.message : String(err));
  } finally {
    restoreEnv(envBefore);
    await options.afterTest?.();
  }
  return result;
}

async function runStep<TData>(step: ManifestStep, env: E2eStepEnv<TData>, plugin: Plugin, options: RunE2eManifestOptions<TData>): Promise<E2eTableResult | undefined> {
  const { tester, dir } = env;
  if (step.import !== undefined) {
    const file = path.join(dir, step.import);
    if (step.mode === 'raw') await tester.importCsvIntoRawTable(file, step.into!);
    else if (step.mode === 'tablerNullable') await tester.importNullableCsvIntoTable(file, step.into!);
    else await tester.importCsvIntoTable(file, step.into!);
  } else if (step.flush !== undefined) {
    await tester.flushTable(step.flush);
  } else if (step.subtask !== undefined) {
    await tester.runSubtask(subtaskOf(plugin, step.subtask), await env.data(), { options: env.options });
  } else if (step.verify !== undefined) {
    return verify(step, env, options);
  } else if (step.setEnv !== undefined) {
    for (const [k, v] of Object.entries(step.setEnv)) process.env[k] = v;
  } else if (step.unsetEnv !== undefined) {
    delete process.env[step.unsetEnv];
  } else if (step.query !== undefined) {
    return query(step, env);
  } else if (step.assertSubtaskEnabledByDefault !== undefined) {
    const meta = subtaskOf(plugin, step.assertSubtaskEnabledByDefault);
    if (meta.enabledByDefault !== step.equals) {
      throw new DevlakeError('DEVLAKE_E_SUBTASK_FAILED', `Subtask "${meta.name}" has enabledByDefault ${meta.enabledByDefault}, expected ${step.equals}`, {
        hint: "Match DevLake's EnabledByDefault for this subtask.",
      });
    }
  } else {
    const key = Object.keys(options.steps ?? {}).find((k) => step[k] !== undefined);
    if (!key) {
      throw new DevlakeError('DEVLAKE_E_CONFIG', `Unknown manifest step ${JSON.stringify(step)}`, {
        hint: 'Handle this step kind with the steps option of runE2eManifest.',
      });
    }
    await options.steps![key]!(step, env);
  }
  return undefined;
}

function subtaskOf(plugin: Plugin, name: string): SubTaskMeta<any> {
  const meta = typeof plugin.subTaskMetas === 'function' ? plugin.subTaskMetas().find((m) => m.name === name) : undefined;
  if (!meta) {
    throw new DevlakeError('DEVLAKE_E_SUBTASK_UNKNOWN', `Plugin ${plugin.name} has no subtask "${name}"`, {
      hint: "Add the subtask to the plugin's subTaskMetas().",
    });
  }
  return meta;
}

async function verify<TData>(step: ManifestStep, env: E2eStepEnv<TData>, options: RunE2eManifestOptions<TData>): Promise<E2eTableResult> {
  const table = step.verify!;
  const actualRows = await countRows(env.dal, table);
  const res: E2eTableResult = { table, snapshot: step.snapshot, expectedRows: step.snapshotRows ?? 0, actualRows, mismatches: 0 };
  try {
    await env.tester.verifyTable(table, path.join(env.dir, step.snapshot!), {
      columns: step.columns,
      primaryKey: step.primaryKey,
      jsonColumns: options.jsonColumns?.[table],
      missingColumnsAsNull: true,
    });
  } catch (err) {
    if (!isDevlakeError(err) || err.code !== 'DEVLAKE_E_SNAPSHOT_MISMATCH') throw err;
    const n = Number((err.data as { differences?: number } | undefined)?.differences ?? 0);
    // A failed verify always counts at least one mismatch.
    res.mismatches = Math.max(1, n > 0 ? n : Math.abs(res.expectedRows - actualRows));
    res.error = err.message;
  }
  return res;
}

async function query<TData>(step: ManifestStep, env: E2eStepEnv<TData>): Promise<E2eTableResult> {
  const table = step.query!;
  const pk = env.manifest.tables[table]?.primaryKey ?? [];
  const rows = (await env.dal.knex(table).select('*').where(step.where ?? {}).orderBy(pk)) as Array<Record<string, unknown>>;
  const res: E2eTableResult = { table, expectedRows: step.expectCount ?? 0, actualRows: rows.length, mismatches: 0 };
  const problems: string[] = [];
  if (step.expectCount !== undefined && rows.length !== step.expectCount) problems.push(`expected ${step.expectCount} rows, got ${rows.length}`);
  if (step.expectFirstRow && rows.length > 0) {
    for (const [k, v] of Object.entries(step.expectFirstRow)) {
      if (String(rows[0]![k]) !== String(v)) problems.push(`first row ${k}: expected ${String(v)}, got ${String(rows[0]![k])}`);
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
