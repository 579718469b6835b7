import { DevlakeError } from '../core/errors';
import { names, rawTableName, toolTableName } from '../core/naming';
import {
  csv,
  extractExpr,
  keyColumns,
  pickRule,
  recordAccess,
  recordInterface,
  snapshotValue,
  tableDecl,
  type ColumnSpec,
  type TableShape,
  unpickable,
} from './columns';
import {
  collectorName,
  existingMigration,
  modelClassName,
  nextVersion,
  pluginContext,
  registered,
  requireFile,
  requirePlugin,
  type PluginsView,
} from './plan-common';
import { renderTemplate } from './render';
import { pluginScopeKey } from './scope-key';
import { parseDomainTypes, parsePrimaryKey, validateName, type KeyColumn } from './validate';
import type { GeneratedFile } from './write-files';

export interface ExtractorAnswers {
  plugin: string;
  name: string;
  /** The collector whose raw table this extractor reads. Default: the extractor's name. */
  collector?: string;
  /** The tool model's name. Default: the extractor's name. */
  model?: string;
  /**
   * The primary key: a field of the record, or several separated by commas
   * (`connection_id,gitlab_id`); columns are their snake_case. Default `id`.
   */
  primaryKey?: string;
  /** The table inferred from a sample (`--from-sample`); default: the key and a `name` column. */
  table?: TableShape;
  /** Version of the migration that creates the table; default: now (reused when the migration exists). */
  version?: number;
  /**
   * Write a declarative extractor (`mappedExtractor`, one `pick` rule per column, run as SQL) instead of
   * an `extractor` with a mapping function. Default: yes with a sample's table, no otherwise.
   */
  declarative?: boolean;
  /**
   * A record without a value stores Go's zero value (`''`, `0`, `false`; times and JSON stay NULL), keys
   * included, as DevLake's non-pointer model fields do: what a port of a DevLake plugin needs. Default no.
   */
  zeroValues?: boolean;
  /** Keys of `DomainTypes` the subtask declares, comma-separated (`TICKET`); default `CROSS`. */
  domainTypes?: string;
}

/** The table without a sample: the key columns (text, any scalar in the record) and a `name`. */
export function defaultTable(keys: readonly KeyColumn[], title: string): TableShape {
  if (keys.some((k) => k.column === 'name')) {
    throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', 'The primary key cannot be "name" without a sample: the generated model has a separate name column', {
      hint: 'Pass another --primary-key (e.g. id, user_name), or --from-sample <file> to infer the columns.',
    });
  }
  const columns: ColumnSpec[] = [
    ...keys.map((k): ColumnSpec => ({ column: k.column, path: [k.field], type: 'string', length: 255, nullable: false, primaryKey: true, loose: true })),
    { column: 'name', path: ['name'], type: 'string', length: 255, nullable: true },
  ];
  const record = (key: string, name: string) => Object.fromEntries([...keys.map((k, i) => [k.field, i === 0 ? key : `${key}-${i + 1}`]), ['name', name]]);
  return { columns, nullableObjects: [], records: [record('first', `First ${title}`), record('second', 'Zoë Ünïcode, "quoted"')] };
}

/**
 * A tool table keyed as DevLake keys them: `connection_id` (from the run's
 * params) first, so two connections' records never share a row, and the
 * record's own `id` as `<plugin>_id` (`github_id`). Unchanged when the table
 * already has a `connection_id` column; `id` stays when `<plugin>_id` is taken.
 */
function devlakeKeys(shape: TableShape, pluginSnake: string): TableShape {
  if (shape.columns.some((c) => c.column === 'connection_id')) return shape;
  const ownId = `${pluginSnake}_id`;
  const taken = shape.columns.some((c) => c.column === ownId);
  const connection: ColumnSpec = { column: 'connection_id', path: ['ConnectionId'], type: 'bigint', nullable: false, primaryKey: true, param: true };
  const columns = shape.columns.map((c) => (c.primaryKey && c.column === 'id' && !taken ? { ...c, column: ownId } : c));
  return { ...shape, columns: [connection, ...columns] };
}

/** Raw rows of the fixture: every record in this run's scope, then the first again in another scope (must be ignored). */
function rawFixture(records: readonly unknown[], scope: { fixtureParams: string; otherParams: string }): string {
  const rows = records.map((r, i) => [String(i + 1), scope.fixtureParams, JSON.stringify(r), '', '', '2024-01-01T00:00:00.000+00:00']);
  if (records.length > 0) rows.push([String(records.length + 1), scope.otherParams, JSON.stringify(records[0]), '', '', '2024-01-01T00:00:00.000+00:00']);
  return csv(['id', 'params', 'data', 'url', 'input', 'created_at'], rows);
}

/** What the generated extractor writes for the fixture: one row per key (the last record wins, as upserts do). */
function snapshotFixture(shape: TableShape, rawTable: string, fixtureParams: string): string {
  const keys = keyColumns(shape);
  const byKey = new Map<string, string[]>();
  shape.records.forEach((r, i) => {
    // A params column holds this run's value (the fixture's params), not the record's.
    const value = (c: ColumnSpec) => (c.param ? String((JSON.parse(fixtureParams) as Record<string, unknown>)[c.path[0]!]) : snapshotValue(c, r));
    const row = [...shape.columns.map(value), fixtureParams, rawTable, String(i + 1), ''];
    byKey.set(JSON.stringify(keys.map(value)), row);
  });
  return csv([...shape.columns.map((c) => c.column), '_raw_data_params', '_raw_data_table', '_raw_data_id', '_raw_data_remark'], [...byKey.values()]);
}

/** An extractor subtask, its tool model, the model's migration, a DataFlowTester test with CSV fixtures; all registered. */
export function planExtractor(view: PluginsView, answers: ExtractorAnswers): GeneratedFile[] {
  const index = requirePlugin(view, answers.plugin);
  const plugin = answers.plugin;
  const name = validateName('extractor', answers.name);
  const model = validateName('model', answers.model ?? name);
  const collector = collectorName(plugin, answers.collector ?? name);
  const n = names(name);
  const m = names(model);
  const c = names(collector);
  const inferred = answers.table ?? defaultTable(parsePrimaryKey(answers.primaryKey ?? 'id'), m.title);
  // A key pick cannot read (a key field named `+1`) keeps the mapping-function form, which reads any key.
  const declarative = (answers.declarative ?? answers.table !== undefined) && !inferred.columns.some((c) => c.primaryKey && unpickable(c));
  // A field whose key pick's path syntax cannot hold (`reactions.+1`) is left out of a declarative extractor's table.
  const skipped = declarative ? inferred.columns.filter((c) => !c.primaryKey && unpickable(c)) : [];
  const picked = skipped.length ? { ...inferred, columns: inferred.columns.filter((c) => !skipped.includes(c)) } : inferred;
  const scope = pluginScopeKey(view, plugin);
  const keyed = declarative && scope.connectionParam ? devlakeKeys(picked, names(plugin).snakeName) : picked;
  // A pick rule gives NULL for a record without the value, whatever the sample showed (GitHub sends `"body": null`
  // too): a declarative table's columns other than the key take NULL, as DevLake's gorm columns do.
  const nullable = declarative ? { ...keyed, columns: keyed.columns.map((col) => (col.primaryKey ? col : { ...col, nullable: true })) } : keyed;
  const shape = answers.zeroValues ? { ...nullable, columns: nullable.columns.map((col) => ({ ...col, zero: true })) } : nullable;
  const keys = keyColumns(shape);
  if (keys.length === 0) {
    throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', `The ${model} table has no primary key`, {
      hint: 'Pass --primary-key with the field(s) that identify a record, e.g. --primary-key id or --primary-key connection_id,gitlab_id.',
    });
  }
  const migrationName = `add-${m.fileName}-table`;
  const version = answers.version ?? existingMigration(view, plugin, migrationName) ?? nextVersion(view, plugin);
  const collectorFile = `tasks/${c.fileName}-collector.ts`;
  const rawTable = rawTableName(plugin, collector);
  const nullableObjects = new Set(shape.nullableObjects);
  const nullableParent = (path: string[]) => nullableObjects.has(path.join('.'));
  const modelClass = modelClassName(plugin, model, view.read(`${plugin}/models/${m.fileName}.ts`));
  const ctx = {
    ...pluginContext(plugin),
    ...n,
    model: { ...m, modelClass, table: toolTableName(plugin, model) },
    collector: { ...c, exists: view.read(`${plugin}/${collectorFile}`) !== undefined },
    rawTable,
    domainTypes: parseDomainTypes(answers.domainTypes),
    columns: shape.columns.map((col) => ({
      column: col.column,
      // A declarative extractor's rule names the path and the conversion (pick.json): the model needs no note.
      ...(declarative ? { decl: tableDecl(col).decl } : tableDecl(col)),
      expr: extractExpr(col, recordAccess('record', col, nullableParent)),
      pick: pickRule(col),
    })),
    skipped: skipped.map((c) => unpickable(c)!),
    primaryKey: keys.map((k) => k.column),
    recordBody: recordInterface(shape.columns, nullableParent),
    rawCsv: rawFixture(shape.records, scope),
    snapshotCsv: snapshotFixture(shape, rawTable, scope.fixtureParams),
    testOptions: scope.testOptions[0],
    migration: { version, name: names(migrationName).snakeName, fileName: `${version}-${migrationName}`, constName: `add${m.className}Table` },
  };
  return [
    { path: `${plugin}/models/${m.fileName}.ts`, content: renderTemplate('extractor/model.ts.hbs', ctx), policy: 'create' },
    {
      path: `${plugin}/migrations/${ctx.migration.fileName}.ts`,
      content: renderTemplate('extractor/migration.ts.hbs', ctx),
      policy: 'create',
    },
    { path: `${plugin}/tasks/${n.fileName}-extractor.ts`, content: renderTemplate(declarative ? 'extractor/mapped-extractor.ts.hbs' : 'extractor/extractor.ts.hbs', ctx), policy: 'create' },
    { path: `${plugin}/e2e/${n.fileName}-extractor.test.ts`, content: renderTemplate('extractor/extractor.test.ts.hbs', ctx), policy: 'create' },
    // Fixtures are data the author replaces with real records: never overwritten.
    { path: `${plugin}/e2e/raw_tables/${rawTable}.csv`, content: renderTemplate('extractor/raw.csv.hbs', ctx), policy: 'keep' },
    {
      path: `${plugin}/e2e/snapshot_tables/${ctx.model.table}.csv`,
      content: renderTemplate('extractor/snapshot.csv.hbs', ctx),
      policy: 'keep',
    },
    registered(`${plugin}/migrations/index.ts`, requireFile(view, `${plugin}/migrations/index.ts`), [
      { target: { variable: 'migrationScripts' }, identifier: ctx.migration.constName, from: `./${ctx.migration.fileName}` },
    ]),
    registered(`${plugin}/index.ts`, index, [
      { target: { method: 'subTaskMetas' }, identifier: `Extract${n.className}Meta`, from: `./tasks/${n.fileName}-extractor` },
      { target: { method: 'getTablesInfo' }, identifier: modelClass, from: `./models/${m.fileName}` },
    ]),
  ];
}
