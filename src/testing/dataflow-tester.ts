import * as fs from 'node:fs';
import type { Config } from '../core/config';
import { mapConfig } from '../core/config';
import type { SyncPolicy, TaskContext } from '../core/context';
import { DevlakeError } from '../core/errors';
import type { Logger } from '../core/logger';
import { silentLogger } from '../core/logger';
import type { Plugin, SubTaskMeta } from '../core/plugin';
import { frameworkMigrations } from '../dal/framework-migrations';
import { migrate, type AppliedMigration } from '../dal/migrator';
import { ensureRawTable } from '../dal/raw-table';
import type { Dal } from '../dal/types';
import { dialectOf } from '../dal/dialects';
import { domainMigrations, domainTablesInDevlake } from '../domain';
import { createSubTaskContext, createTaskContext, type SubTaskProgress } from '../core/task-context';
import { readCsv, writeCsv } from './csv';
import { formatValue, parseTimestamp, type ColumnKind } from './format-value';
import { compareWithSnapshot, formatDifferences } from './snapshot-diff';
import { columnKinds, primaryKeyOf } from './table-info';

/** Options of `new DataFlowTester(...)`. */
export interface DataFlowTesterOptions {
  /** The database (from `databases()` in tests). */
  dal: Dal;
  /** The plugin under test: its migrations, name and `prepareTaskData` are used. */
  plugin: Plugin;
  /** Default: silent. */
  logger?: Logger;
  /** Configuration the subtasks see via `ctx.getConfig`. Default: empty. */
  config?: Config;
  /**
   * True (the default, as DevLake's e2e helper): a NULL compares equal to an
   * empty CSV field. False: a NULL reads as the text `NULL` (the token
   * DevLake's ImportNullableCsvIntoTabler uses), so a snapshot's '' fails
   * against a NULL and a snapshot's `NULL` field is needed to expect one.
   */
  nullMeansEmpty?: boolean;
}

/** Options of `verifyTable` and `createSnapshot`. */
export interface VerifyOptions {
  /** Columns to compare (and write). Default: the snapshot's header (for createSnapshot: every table column). */
  columns?: string[];
  /** Key that matches rows. Default: the table's primary key. */
  primaryKey?: string[];
  /** Columns compared as parsed JSON (e.g. MySQL-normalized JSON in DevLake snapshots). */
  jsonColumns?: string[];
  /**
   * Read a listed column the table does not have as NULL (DevLake's
   * `VerifyTableWithOptions` does: its snapshots may name columns a model
   * dropped) instead of failing. Default false: a missing column fails.
   */
  missingColumnsAsNull?: boolean;
  /** Overrides the tester's `nullMeansEmpty` for this table. */
  nullMeansEmpty?: boolean;
}

/** Options of `runSubtask`. */
export interface RunSubtaskOptions {
  /** Task options seen as `ctx.options`. Default `{}`. */
  options?: Record<string, unknown>;
  /** Default: full sync. */
  syncPolicy?: SyncPolicy;
  /** To test cancellation. */
  signal?: AbortSignal;
}

const RAW_COLUMNS = ['id', 'params', 'data', 'url', 'input', 'created_at'];

/**
 * DevLake's DataFlowTester: load CSV fixtures into raw and tool tables, run one
 * subtask, compare tables with CSV snapshots. A missing snapshot fails unless
 * `UPDATE_SNAPSHOTS=1`, in which case it is written.
 *
 * @example
 * const t = new DataFlowTester({ dal: db.dal, plugin });
 * await t.migrate();
 * await t.importCsvIntoRawTable('e2e/raw_tables/_raw_icla_committer.csv', '_raw_icla_committer');
 * await t.runSubtask(ExtractCommitterMeta, taskData);
 * await t.verifyTable('_tool_icla_committer', 'e2e/snapshot_tables/_tool_icla_committer.csv', { columns: ['user_name', 'name'] });
 */
export class DataFlowTester {
  readonly dal: Dal;
  readonly plugin: Plugin;
  readonly #logger: Logger;
  readonly #config: Config;
  readonly #nullMeansEmpty: boolean;

  constructor(opts: DataFlowTesterOptions) {
    this.#nullMeansEmpty = opts.nullMeansEmpty ?? true;
    this.dal = opts.dal;
    this.plugin = opts.plugin;
    this.#logger = opts.logger ?? silentLogger;
    this.#config = opts.config ?? mapConfig({});
  }

  /** Applies framework, domain and plugin migrations. */
  async migrate(): Promise<AppliedMigration[]> {
    return migrate(this.dal, [
      { owner: 'framework', scripts: frameworkMigrations },
      { owner: 'domain', scripts: domainMigrations, ownedByDevlake: domainTablesInDevlake },
      { owner: `plugin:${this.plugin.name}`, scripts: this.plugin.migrationScripts?.() ?? [] },
    ]);
  }

  /** Drops and recreates the raw table, then inserts every CSV row as given. Returns the row count. */
  async importCsvIntoRawTable(csvPath: string, rawTable: string): Promise<number> {
    const csv = readCsv(csvPath);
    const unknown = csv.header.filter((h) => !RAW_COLUMNS.includes(h));
    if (unknown.length > 0) {
      throw new DevlakeError('DEVLAKE_E_CSV', `Raw CSV ${csvPath} has columns that raw tables do not: ${unknown.join(', ')}`, {
        hint: `A raw CSV has the columns ${RAW_COLUMNS.join(',')}.`,
      });
    }
    await this.dal.knex.schema.dropTableIfExists(rawTable);
    await ensureRawTable(this.dal, rawTable);
    const rows = csv.rows.map((rec) => {
      const row: Record<string, unknown> = {};
      csv.header.forEach((h, i) => {
        // created_at is a timestamp column: an empty or odd value cannot be stored verbatim.
        row[h] = h === 'created_at' ? (parseTimestamp(rec[i]) ?? null) : rec[i];
      });
      return row;
    });
    await this.dal.insert(rawTable, rows);
    // Explicit ids may leave the id generator behind; a later collector insert would collide.
    if (csv.header.includes('id')) await dialectOf(this.dal.dialect).syncAutoIncrement(this.dal.knex, rawTable, 'id');
    return rows.length;
  }

  /** Empties a migrated table and inserts the CSV rows, empty fields as NULL. Returns the row count. */
  async importCsvIntoTable(csvPath: string, table: string): Promise<number> {
    return this.#importCsv(csvPath, table, toDbValue);
  }

  /**
   * DevLake's ImportNullableCsvIntoTabler: like `importCsvIntoTable`, but only
   * a field that is exactly `NULL` becomes NULL; an empty field stays '' in a
   * text column (NULL in a column of another type). Returns the row count.
   */
  async importNullableCsvIntoTable(csvPath: string, table: string): Promise<number> {
    return this.#importCsv(csvPath, table, (field, kind) => (field === 'NULL' ? null : field === '' && kind === 'other' ? '' : toDbValue(field, kind)));
  }

  async #importCsv(csvPath: string, table: string, value: (field: string, kind: ColumnKind) => unknown): Promise<number> {
    const csv = readCsv(csvPath);
    const kinds = await this.#kinds(table, 'importCsvIntoTable');
    const unknown = csv.header.filter((h) => !kinds.has(h));
    if (unknown.length > 0) {
      throw new DevlakeError('DEVLAKE_E_CSV', `CSV ${csvPath} has columns that table ${table} does not: ${unknown.join(', ')}`, {
        hint: 'Add the columns with a migration, or remove them from the CSV.',
      });
    }
    const rows = csv.rows.map((rec) => {
      const row: Record<string, unknown> = {};
      csv.header.forEach((h, i) => {
        row[h] = value(rec[i]!, kinds.get(h)!);
      });
      return row;
    });
    await this.dal.transaction(async (tx) => {
      await tx.knex(table).delete();
      await tx.insert(table, rows);
    });
    return rows.length;
  }

  /** Deletes every row of a table (a raw table is created when missing). */
  async flushTable(table: string): Promise<void> {
    if (table.startsWith('_raw_')) await ensureRawTable(this.dal, table);
    await this.#kinds(table, 'flushTable');
    await this.dal.knex(table).delete();
  }

  /** Calls the plugin's `prepareTaskData` with these options, as the runner does. */
  async prepareTaskData<TData = unknown>(options: Record<string, unknown> = {}): Promise<TData> {
    if (typeof this.plugin.prepareTaskData !== 'function') {
      throw new DevlakeError('DEVLAKE_E_PLUGIN_INVALID', `Plugin ${this.plugin.name} has no prepareTaskData`, {
        hint: 'Pass the task data to runSubtask directly.',
      });
    }
    return (await this.plugin.prepareTaskData(this.#taskContext({ options }), options)) as TData;
  }

  /** Runs one subtask with the given task data, in full-sync mode unless told otherwise. */
  async runSubtask<TData>(meta: SubTaskMeta<TData>, taskData: TData, opts: RunSubtaskOptions = {}): Promise<SubTaskProgress> {
    const { ctx, progress } = createSubTaskContext(this.#taskContext(opts), meta.name, taskData);
    await meta.entryPoint(ctx);
    return progress;
  }

  /**
   * Compares a table with a snapshot CSV (see DataFlowTester's doc). Throws
   * DEVLAKE_E_SNAPSHOT_MISMATCH with a readable diff, or
   * DEVLAKE_E_SNAPSHOT_MISSING when the file is absent and UPDATE_SNAPSHOTS is not 1.
   */
  async verifyTable(table: string, csvPath: string, opts: VerifyOptions = {}): Promise<void> {
    if (!fs.existsSync(csvPath)) {
      if (process.env.UPDATE_SNAPSHOTS === '1') {
        await this.createSnapshot(table, csvPath, opts);
        this.#logger.info(`Wrote snapshot ${csvPath}`);
        return;
      }
      throw new DevlakeError('DEVLAKE_E_SNAPSHOT_MISSING', `Snapshot ${csvPath} for table ${table} does not exist`, {
        hint: 'Run the test with UPDATE_SNAPSHOTS=1 to write it, then review it.',
        data: { table, snapshot: csvPath },
      });
    }
    const snapshot = readCsv(csvPath);
    const columns = opts.columns ?? snapshot.header;
    const primaryKey = opts.primaryKey ?? (await this.#primaryKey(table));
    const nullAs = (opts.nullMeansEmpty ?? this.#nullMeansEmpty) ? '' : 'NULL';
    const actual = await this.#formattedRows(table, [...new Set([...primaryKey, ...columns])], await this.#kinds(table, 'verifyTable'), opts.missingColumnsAsNull, nullAs);
    const cmp = compareWithSnapshot(actual, snapshot, { columns, primaryKey, jsonColumns: opts.jsonColumns });
    if (cmp.differences.length > 0 || cmp.tableRows !== cmp.snapshotRows) {
      throw new DevlakeError('DEVLAKE_E_SNAPSHOT_MISMATCH', formatDifferences(table, csvPath, cmp), {
        hint: 'Fix the code, or if the new output is right, delete the snapshot and run with UPDATE_SNAPSHOTS=1.',
        data: { table, snapshot: csvPath, differences: cmp.differences.length },
      });
    }
  }

  /**
   * Writes the table's rows (sorted by primary key) as a snapshot CSV. Returns the row count.
   * `opts` may also be just the column list, as in DevLake's `CreateSnapshot(dst, {SelectFields})`.
   */
  async createSnapshot(table: string, csvPath: string, opts: VerifyOptions | string[] = {}): Promise<number> {
    if (Array.isArray(opts)) opts = { columns: opts };
    const kinds = await this.#kinds(table, 'createSnapshot');
    const columns = opts.columns ?? [...kinds.keys()];
    const primaryKey = opts.primaryKey ?? (await this.#primaryKey(table));
    const rows = await this.#formattedRows(table, [...new Set([...primaryKey, ...columns])], kinds);
    rows.sort((a, b) => compareKeys(primaryKey.map((k) => a[k] ?? ''), primaryKey.map((k) => b[k] ?? '')));
    writeCsv(csvPath, { header: columns, rows: rows.map((r) => columns.map((c) => r[c] ?? '')) });
    return rows.length;
  }

  /** Writes a raw table (by id) as a raw CSV fixture. Returns the row count. */
  async exportRawTable(rawTable: string, csvPath: string): Promise<number> {
    return this.createSnapshot(rawTable, csvPath, { columns: RAW_COLUMNS, primaryKey: ['id'] });
  }

  async #formattedRows(table: string, columns: string[], kinds: Map<string, ColumnKind>, missingAsNull = false, nullAs = ''): Promise<Array<Record<string, string>>> {
    const missing = columns.filter((c) => !kinds.has(c));
    if (missing.length > 0 && missingAsNull) {
      const present = columns.filter((c) => kinds.has(c));
      const rows = (await this.dal.knex(table).select(present)) as Array<Record<string, unknown>>;
      return rows.map((r) => Object.fromEntries(columns.map((c) => [c, kinds.has(c) && r[c] !== null && r[c] !== undefined ? formatValue(r[c], kinds.get(c)!) : nullAs])));
    }
    if (missing.length > 0) {
      throw new DevlakeError('DEVLAKE_E_SNAPSHOT_MISMATCH', `Table ${table} has no column(s) ${missing.join(', ')}`, {
        hint: 'Check the columns option and the table migration.',
        data: { table },
      });
    }
    const rows = (await this.dal.knex(table).select(columns)) as Array<Record<string, unknown>>;
    return rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] === null || r[c] === undefined ? nullAs : formatValue(r[c], kinds.get(c)!)])));
  }

  async #kinds(table: string, what: string): Promise<Map<string, ColumnKind>> {
    const kinds = await columnKinds(this.dal, table);
    if (kinds.size === 0) {
      throw new DevlakeError('DEVLAKE_E_CSV', `${what}: table ${table} does not exist`, {
        hint: 'Call migrate() first, and check the table name.',
        data: { table },
      });
    }
    return kinds;
  }

  async #primaryKey(table: string): Promise<string[]> {
    const pk = await primaryKeyOf(this.dal, table);
    if (pk.length === 0) {
      throw new DevlakeError('DEVLAKE_E_CSV', `Table ${table} has no primary key to match snapshot rows by`, {
        hint: 'Pass primaryKey in the options.',
      });
    }
    return pk;
  }

  #taskContext(opts: RunSubtaskOptions): TaskContext<Record<string, unknown>> {
    return createTaskContext({
      pluginName: this.plugin.name,
      options: opts.options ?? {},
      db: this.dal,
      logger: this.#logger.child({ plugin: this.plugin.name }),
      config: this.#config,
      signal: opts.signal,
      syncPolicy: opts.syncPolicy ?? { fullSync: true },
    });
  }
}

/** Orders key tuples as the database would: integers numerically, other values as text. */
function compareKeys(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i]!, b[i]!];
    if (x === y) continue;
    if (/^-?\d+$/.test(x) && /^-?\d+$/.test(y)) return BigInt(x) < BigInt(y) ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** A CSV field as a value for a tool/domain table: empty → NULL, typed where the column needs it. */
function toDbValue(field: string, kind: ColumnKind): unknown {
  if (field === '') return null;
  if (kind === 'timestamp') return parseTimestamp(field) ?? field;
  if (kind === 'boolean') {
    const s = field.toLowerCase();
    if (s === '1' || s === 'true' || s === 't') return true;
    if (s === '0' || s === 'false' || s === 'f') return false;
  }
  return field;
}
