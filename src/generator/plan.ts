import { DevlakeError } from '../core/errors';
import { names, rawTableName, toolTableName } from '../core/naming';
import { domainTarget, type DomainTarget } from './domain-targets';
import { registerInSource, type Registration } from './register';
import { renderTemplate } from './render';
import { validateEndpoint, validateHttpPath, validateName, validatePagination, type PaginationMode } from './validate';
import type { GeneratedFile } from './write-files';

/**
 * Pure planning: answers in, rendered files out. Nothing here writes; the
 * existing plugin is seen through a read-only `PluginsView` so a registration
 * edit can be computed (and found to be a no-op) before anything is touched.
 */

/** Read-only access to the plugins folder, paths relative to it with `/`. */
export interface PluginsView {
  read(path: string): string | undefined;
  /** File names directly inside a folder (empty when it does not exist). */
  list(dir: string): string[];
}

export interface PluginAnswers {
  name: string;
  withApiClient: boolean;
  /** Required when `withApiClient`. */
  endpoint?: string;
  description?: string;
  /** Version of the init migration; default: now (reused when the plugin already has one). */
  initVersion?: number;
}

export interface CollectorAnswers {
  plugin: string;
  name: string;
  /** Path relative to the endpoint, e.g. `public/icla-info.json`. */
  httpPath: string;
  pagination: PaginationMode;
}

export interface ExtractorAnswers {
  plugin: string;
  name: string;
  /** The collector whose raw table this extractor reads. Default: the extractor's name. */
  collector?: string;
  /** The tool model's name. Default: the extractor's name. */
  model?: string;
  /** The tool model's primary key column. Default `id`. */
  primaryKey?: string;
  /** Version of the migration that creates the table; default: now (reused when the migration exists). */
  version?: number;
}

export interface ConverterAnswers {
  plugin: string;
  name: string;
  /** The tool model it reads. Default: the converter's name. */
  model?: string;
  /** The collector whose raw table the tool rows came from. Default: the model's name. */
  collector?: string;
  /** The domain table it writes, e.g. `accounts`. */
  domainTable: string;
}

export interface MigrationAnswers {
  plugin: string;
  name: string;
  /** Default: now as `YYYYMMDDHHmmss` (reused when a migration of that name exists). */
  version?: number;
}

/** `YYYYMMDDHHmmss` in UTC, DevLake's migration version convention. */
export function migrationVersion(now = new Date()): number {
  return Number(now.toISOString().replace(/[-:T]/g, '').slice(0, 14));
}

/**
 * The collector named by `value`: its name (`committer`) or its raw table
 * (`_raw_icla_committer`), since the question is which raw table is read.
 */
export function collectorName(plugin: string, value: string): string {
  const prefix = `_raw_${names(plugin).snakeName}_`;
  return validateName('collector', value.startsWith(prefix) ? value.slice(prefix.length) : value);
}

/** The tool model named by `value`: its name (`committer`) or its tool table (`_tool_icla_committer`). */
export function modelName(plugin: string, value: string): string {
  const prefix = `_tool_${names(plugin).snakeName}_`;
  return validateName('model', value.startsWith(prefix) ? value.slice(prefix.length) : value);
}

/** The plugin's index.ts, or DEVLAKE_E_GEN_PLUGIN_MISSING when `plugin` is not in the plugins folder. */
export function requirePlugin(view: PluginsView, plugin: string): string {
  validateName('plugin', plugin);
  const index = view.read(`${plugin}/index.ts`);
  if (index === undefined) {
    throw new DevlakeError('DEVLAKE_E_GEN_PLUGIN_MISSING', `No plugin "${plugin}" here (no ${plugin}/index.ts)`, {
      hint: `Create it first with: devlake create-plugin ${plugin} (or pass --dir where it lives)`,
    });
  }
  return index;
}

/** Applies registrations to a file's text; the result is an `edit` file (identical when already registered). */
function registered(path: string, source: string, registrations: Registration[]): GeneratedFile {
  const content = registrations.reduce((text, r) => registerInSource(text, path, r), source);
  return { path, content, policy: 'edit' };
}

function pluginContext(plugin: string) {
  const n = names(plugin);
  return { plugin, pluginClass: n.className, pluginConstant: n.constantName, pluginSnake: n.snakeName };
}

/** Name of the init migration's file after its version, as DevLake's `addInitTables`. */
const INIT_MIGRATION = 'add-init-tables';

/** Files of a new plugin; `view` (the plugins folder) lets a re-run keep the init migration's version. */
export function planPlugin(answers: PluginAnswers, view?: PluginsView): GeneratedFile[] {
  const name = validateName('plugin', answers.name);
  const endpoint = answers.withApiClient ? validateEndpoint(answers.endpoint ?? '') : '';
  const n = names(name);
  const initVersion = answers.initVersion ?? (view && existingMigration(view, name, INIT_MIGRATION)) ?? migrationVersion();
  const ctx = {
    ...n,
    name,
    endpoint,
    withApiClient: answers.withApiClient,
    description: (answers.description ?? `collects ${name} data into DevLake tables.`).replace(/\s+/g, ' ').trim(),
    initMigration: { version: initVersion, fileName: `${initVersion}-${INIT_MIGRATION}` },
  };
  const files: Array<[string, string]> = [
    ['index.ts', 'plugin/index.ts.hbs'],
    ['task-data.ts', 'plugin/task-data.ts.hbs'],
    ['models/scope.ts', 'plugin/models/scope.ts.hbs'],
    [`migrations/${ctx.initMigration.fileName}.ts`, 'plugin/migrations/init.ts.hbs'],
    ['migrations/index.ts', 'plugin/migrations/index.ts.hbs'],
    ['e2e/plugin.test.ts', 'plugin/e2e/plugin.test.ts.hbs'],
    ['README.md', 'plugin/README.md.hbs'],
  ];
  if (answers.withApiClient) files.splice(2, 0, ['api-client.ts', 'plugin/api-client.ts.hbs']);
  // The two files that registrations edit are never overwritten: re-running
  // create-plugin keeps what create-collector & co. added to them, and only
  // registers the init script and scope model there if they are missing (a
  // plugin made before the generator wrote them).
  const registries: Record<string, Registration> = {
    'index.ts': { target: { method: 'getTablesInfo' }, identifier: `${n.className}Scope`, from: './models/scope' },
    'migrations/index.ts': { target: { variable: 'migrationScripts' }, identifier: 'addInitTables', from: `./${ctx.initMigration.fileName}` },
  };
  return files.map(([path, template]): GeneratedFile => {
    const full = `${name}/${path}`;
    const registration = registries[path];
    const existing = registration ? view?.read(full) : undefined;
    if (registration && existing !== undefined) return registered(full, existing, [registration]);
    return { path: full, content: renderTemplate(template, ctx), policy: registration ? 'keep' : 'create' };
  });
}

/** A collector subtask, registered in the plugin. */
export function planCollector(view: PluginsView, answers: CollectorAnswers): GeneratedFile[] {
  const index = requirePlugin(view, answers.plugin);
  const name = validateName('collector', answers.name);
  const httpPath = validateHttpPath(answers.httpPath);
  const pagination = validatePagination(answers.pagination);
  if (view.read(`${answers.plugin}/api-client.ts`) === undefined) {
    throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', `Plugin "${answers.plugin}" has no API client (api-client.ts) for a collector to use`, {
      hint: `Re-create the plugin with --with-api-client --endpoint <url> --force, or add api-client.ts by hand.`,
    });
  }
  const n = names(name);
  const ctx = {
    ...pluginContext(answers.plugin),
    ...n,
    rawTable: rawTableName(answers.plugin, name),
    httpPath,
    pagination,
  };
  const file = `tasks/${n.fileName}-collector.ts`;
  return [
    { path: `${answers.plugin}/${file}`, content: renderTemplate('collector/collector.ts.hbs', ctx), policy: 'create' },
    registered(`${answers.plugin}/index.ts`, index, [
      { target: { method: 'subTaskMetas' }, identifier: `Collect${n.className}Meta`, from: `./tasks/${n.fileName}-collector` },
    ]),
  ];
}

/** Now, or one past the plugin's newest migration when that is later: versions stay unique and increasing. */
function nextVersion(view: PluginsView, plugin: string): number {
  const existing = view
    .list(`${plugin}/migrations`)
    .filter((f) => /^\d{14}-/.test(f))
    .map((f) => Number(f.slice(0, 14)));
  return Math.max(migrationVersion(), ...existing.map((v) => v + 1));
}

/** An existing migration of the plugin whose file ends with `-<suffix>.ts`: its version is reused. */
function existingMigration(view: PluginsView, plugin: string, suffix: string): number | undefined {
  const hit = view.list(`${plugin}/migrations`).find((f) => f.endsWith(`-${suffix}.ts`) && /^\d{14}-/.test(f));
  return hit ? Number(hit.slice(0, 14)) : undefined;
}

/** An extractor subtask, its tool model, the model's migration, a DataFlowTester test with CSV fixtures; all registered. */
export function planExtractor(view: PluginsView, answers: ExtractorAnswers): GeneratedFile[] {
  const index = requirePlugin(view, answers.plugin);
  const plugin = answers.plugin;
  const name = validateName('extractor', answers.name);
  const model = validateName('model', answers.model ?? name);
  const collector = collectorName(plugin, answers.collector ?? name);
  const primaryKey = validateName('table', answers.primaryKey ?? 'id').replace(/-/g, '_');
  if (primaryKey === 'name') {
    throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', 'The primary key cannot be "name": the generated model has a separate name column', {
      hint: 'Pass another --primary-key (e.g. id, user_name) and rename the columns afterwards if needed.',
    });
  }
  const n = names(name);
  const m = names(model);
  const c = names(collector);
  const migrationName = `add-${m.fileName}-table`;
  const version = answers.version ?? existingMigration(view, plugin, migrationName) ?? nextVersion(view, plugin);
  const collectorFile = `tasks/${c.fileName}-collector.ts`;
  const ctx = {
    ...pluginContext(plugin),
    ...n,
    model: { ...m, modelClass: `${names(plugin).className}${m.className}`, table: toolTableName(plugin, model) },
    collector: { ...c, exists: view.read(`${plugin}/${collectorFile}`) !== undefined },
    rawTable: rawTableName(plugin, collector),
    primaryKey,
    otherColumn: 'name',
    migration: { version, name: names(migrationName).snakeName, fileName: `${version}-${migrationName}`, constName: `add${m.className}Table` },
  };
  const modelClass = ctx.model.modelClass;
  return [
    { path: `${plugin}/models/${m.fileName}.ts`, content: renderTemplate('extractor/model.ts.hbs', ctx), policy: 'create' },
    {
      path: `${plugin}/migrations/${ctx.migration.fileName}.ts`,
      content: renderTemplate('extractor/migration.ts.hbs', ctx),
      policy: 'create',
    },
    { path: `${plugin}/tasks/${n.fileName}-extractor.ts`, content: renderTemplate('extractor/extractor.ts.hbs', ctx), policy: 'create' },
    { path: `${plugin}/e2e/${n.fileName}-extractor.test.ts`, content: renderTemplate('extractor/extractor.test.ts.hbs', ctx), policy: 'create' },
    // Fixtures are data the author replaces with real records: never overwritten.
    { path: `${plugin}/e2e/raw_tables/${ctx.rawTable}.csv`, content: renderTemplate('extractor/raw.csv.hbs', ctx), policy: 'keep' },
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

function requireFile(view: PluginsView, path: string): string {
  const text = view.read(path);
  if (text === undefined) {
    throw new DevlakeError('DEVLAKE_E_GEN_REGISTER', `${path} is missing, so nothing can be registered in it`, {
      hint: 'Restore it (devlake create-plugin <name> --force rewrites the plugin skeleton) and run the command again.',
    });
  }
  return text;
}

/** A converter subtask from a tool model to a domain table, with its test; registered. */
export function planConverter(view: PluginsView, answers: ConverterAnswers): GeneratedFile[] {
  const index = requirePlugin(view, answers.plugin);
  const plugin = answers.plugin;
  const name = validateName('converter', answers.name);
  const model = modelName(plugin, answers.model ?? name);
  const collector = collectorName(plugin, answers.collector ?? model);
  const target = domainTarget(answers.domainTable);
  const n = names(name);
  const m = names(model);
  const c = names(collector);
  const modelFile = view.read(`${plugin}/models/${m.fileName}.ts`);
  if (modelFile === undefined) {
    throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', `Plugin "${plugin}" has no tool model "${model}" (models/${m.fileName}.ts)`, {
      hint: `Create it with: devlake create-extractor ${plugin} ${model}, or pass --model with an existing one.`,
    });
  }
  const pk = /primaryKey:\s*\[\s*'([^']+)'/.exec(modelFile)?.[1] ?? 'id';
  const plugCtx = pluginContext(plugin);
  const modelClass = `${plugCtx.pluginClass}${m.className}`;
  const rawTable = rawTableName(plugin, collector);
  const fields = target.fields(pk);
  const ctx = {
    ...plugCtx,
    ...n,
    model: { ...m, modelClass, table: toolTableName(plugin, model), primaryKey: pk },
    collector: { ...c, exists: view.read(`${plugin}/tasks/${c.fileName}-collector.ts`) !== undefined },
    rawTable,
    target,
    fields,
    snapshot: converterSnapshot(plugin, modelClass, m.title, rawTable, fields),
  };
  return [
    { path: `${plugin}/tasks/${n.fileName}-converter.ts`, content: renderTemplate('converter/converter.ts.hbs', ctx), policy: 'create' },
    { path: `${plugin}/e2e/${n.fileName}-converter.test.ts`, content: renderTemplate('converter/converter.test.ts.hbs', ctx), policy: 'create' },
    {
      path: `${plugin}/e2e/snapshot_tables/${target.table}.csv`,
      content: renderTemplate('converter/snapshot.csv.hbs', ctx),
      policy: 'keep',
    },
    registered(`${plugin}/index.ts`, index, [
      { target: { method: 'subTaskMetas' }, identifier: `Convert${n.className}Meta`, from: `./tasks/${n.fileName}-converter` },
    ]),
  ];
}

/** A new, empty versioned migration script, registered. */
export function planMigration(view: PluginsView, answers: MigrationAnswers): GeneratedFile[] {
  requirePlugin(view, answers.plugin);
  const plugin = answers.plugin;
  const name = validateName('migration', answers.name);
  const n = names(name);
  const version = answers.version ?? existingMigration(view, plugin, n.fileName) ?? nextVersion(view, plugin);
  const ctx = {
    ...pluginContext(plugin),
    ...n,
    migration: { version, name: n.snakeName, fileName: `${version}-${n.fileName}`, constName: n.propertyName },
  };
  return [
    { path: `${plugin}/migrations/${ctx.migration.fileName}.ts`, content: renderTemplate('migration/migration.ts.hbs', ctx), policy: 'create' },
    registered(`${plugin}/migrations/index.ts`, requireFile(view, `${plugin}/migrations/index.ts`), [
      { target: { variable: 'migrationScripts' }, identifier: ctx.migration.constName, from: `./${ctx.migration.fileName}` },
    ]),
  ];
}

/** A CSV field, quoted when needed (RFC 4180). */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The domain snapshot matching the extractor's fixture rows (see
 * templates/extractor/snapshot.csv.hbs): what the generated converter writes for them.
 */
function converterSnapshot(plugin: string, modelClass: string, modelTitle: string, rawTable: string, fields: ReturnType<DomainTarget['fields']>): string {
  const header = ['id', ...fields.map((f) => f.column), '_raw_data_params', '_raw_data_table', '_raw_data_id', '_raw_data_remark'];
  const rows = [
    { key: 'first', name: `First ${modelTitle}`, rawId: '1' },
    { key: 'second', name: 'Zoë Ünïcode, "quoted"', rawId: '2' },
  ].map((r) => [
    `${plugin}:${modelClass}:${r.key}`,
    ...fields.map((f) => (f.expr === 'row.name' ? r.name : r.key)),
    '{"Scope":"default"}',
    rawTable,
    r.rawId,
    '',
  ]);
  return [header, ...rows].map((cols) => cols.map(csvField).join(',')).join('\n') + '\n';
}
