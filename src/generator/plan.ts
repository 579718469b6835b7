import { DevlakeError } from '../core/errors';
import { names, rawTableName } from '../core/naming';
import { COLUMN_TYPES, knexColumn, type ColumnType } from './columns';
import {
  existingMigration,
  migrationVersion,
  modelName,
  nextVersion,
  pluginContext,
  registered,
  requireFile,
  requirePlugin,
  type PluginsView,
} from './plan-common';
import { testCommand } from './next-steps';
import { withTestScript } from './package-json';
import type { Registration } from './register';
import { quoteTs, renderTemplate } from './render';
import {
  parseDomainTypes,
  parsePrimaryKey,
  validateEndpoint,
  validateHttpPath,
  validateMigrationVersion,
  validateName,
  validatePagination,
  PAGINATION_MODES,
  type PaginationMode,
} from './validate';
import type { GeneratedFile } from './write-files';
import { scopeKey } from './scope-key';

export { collectorName, migrationVersion, modelName, requirePlugin, type PluginsView } from './plan-common';
export { defaultTable, planExtractor, type ExtractorAnswers } from './plan-extractor';
export { planConverter, type ConverterAnswers } from './plan-converter';

/**
 * Pure planning: answers in, rendered files out. Nothing here writes; the
 * existing plugin is seen through a read-only `PluginsView` so a registration
 * edit can be computed (and found to be a no-op) before anything is touched.
 */

export interface PluginAnswers {
  name: string;
  withApiClient: boolean;
  /** Required when `withApiClient`. */
  endpoint?: string;
  description?: string;
  /** How the API client authenticates (default `bearer`); `header` needs `authHeader`. */
  auth?: string;
  /** The header a `header` auth sends, e.g. `X-Api-Key`. */
  authHeader?: string;
  /** The task option naming one scope (`name`, `projectId`): DevLake-form params and the scopes table's key. Default `name`. */
  scopeKey?: string;
  /** How the API pages its lists: the default of the plugin's collectors. Default `none`. */
  pagination?: string;
  /** Version of the init migration; default: now (reused when the plugin already has one). */
  initVersion?: number;
  /**
   * The user's package.json, to add the `test:<plugin>` script to: its path
   * relative to the plugins folder (`../package.json`), its text, and the
   * plugin's folder relative to the project (`plugins/myapi`).
   */
  packageJson?: { path: string; text: string; pluginDir: string };
  /** The command the README gives for the plugin's tests. Default: the package.json script, or jest with the preset. */
  testCommand?: string;
}

export interface CollectorAnswers {
  plugin: string;
  name: string;
  /** Path relative to the endpoint, e.g. `public/icla-info.json`. */
  httpPath: string;
  pagination: PaginationMode;
  /** Where the records are in a response (from a sample); default: the body when it is an array, else the body. */
  recordPath?: string[];
  /** Cursor mode: where the next cursor is in a body; default `next_cursor`. */
  cursorPath?: string[];
  /** totalPages mode: where the page count is in the first body; default the `x-total-pages` header. */
  totalPagesPath?: string[];
  /** Keys of `DomainTypes` the subtask declares, comma-separated (`TICKET`); default `CROSS`. */
  domainTypes?: string;
}

/** `{ a?: { b?: T } }` and `.a?.b`: a typed optional read of `path` in a JSON body. */
function bodyRead(path: readonly string[], leaf: string): { type: string; access: string } {
  const prop = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : quoteTs(k));
  const type = path.reduceRight((inner, key) => `{ ${prop(key)}?: ${inner} }`, leaf);
  // The body itself is never undefined; every level below may be.
  const access = path.map((k, i) => (/^[A-Za-z_$][\w$]*$/.test(k) ? `${i ? '?.' : '.'}${k}` : `${i ? '?.' : ''}[${quoteTs(k)}]`)).join('');
  return { type, access };
}

export interface MigrationAnswers {
  plugin: string;
  name: string;
  /** Default: now as `YYYYMMDDHHmmss` (reused when a migration of that name exists); checked to be a real UTC time. */
  version?: number;
  /** Adds one column to an existing tool table instead of creating a table. */
  addColumn?: {
    /** The tool model, or its table `_tool_<plugin>_<model>`. */
    table: string;
    /** The column (snake_case is used, e.g. `email`). */
    column: string;
    /** Default `string` (varchar 255). */
    type?: string;
  };
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
    testCommand: answers.testCommand ?? testCommand(name, !!answers.packageJson, answers.packageJson?.pluginDir ?? `plugins/${name}`),
    testScript: !!answers.packageJson,
    auth: validateAuth(answers.auth ?? 'bearer', answers.authHeader),
    scopeKey: scopeKey(answers.scopeKey ?? 'name'),
    pagination: validatePagination(answers.pagination ?? 'none'),
  };
  const files: Array<[string, string]> = [
    ['index.ts', 'plugin/index.ts.hbs'],
    ['task-data.ts', 'plugin/task-data.ts.hbs'],
    ['models/scope.ts', 'plugin/models/scope.ts.hbs'],
    ['models/scope-config.ts', 'plugin/models/scope-config.ts.hbs'],
    [`migrations/${ctx.initMigration.fileName}.ts`, 'plugin/migrations/init.ts.hbs'],
    ['migrations/index.ts', 'plugin/migrations/index.ts.hbs'],
    ['e2e/plugin.test.ts', 'plugin/e2e/plugin.test.ts.hbs'],
    ['README.md', 'plugin/README.md.hbs'],
  ];
  if (answers.withApiClient) files.splice(2, 0, ['api-client.ts', 'plugin/api-client.ts.hbs'], ['models/connection.ts', 'plugin/models/connection.ts.hbs']);
  // The two files that registrations edit are never overwritten: re-running
  // create-plugin keeps what create-collector & co. added to them, and only
  // registers the init script and scope model there if they are missing (a
  // plugin made before the generator wrote them).
  const registries: Record<string, Registration> = {
    'index.ts': { target: { method: 'getTablesInfo' }, identifier: `${n.className}Scope`, from: './models/scope' },
    'migrations/index.ts': { target: { variable: 'migrationScripts' }, identifier: 'addInitTables', from: `./${ctx.initMigration.fileName}` },
  };
  const planned = files.map(([path, template]): GeneratedFile => {
    const full = `${name}/${path}`;
    const registration = registries[path];
    const existing = registration ? view?.read(full) : undefined;
    if (registration && existing !== undefined) return registered(full, existing, [registration]);
    return { path: full, content: renderTemplate(template, ctx), policy: registration ? 'keep' : 'create' };
  });
  const pkg = answers.packageJson;
  if (pkg) planned.push({ path: pkg.path, content: withTestScript(pkg.text, name, pkg.pluginDir), policy: 'edit' });
  return planned;
}

/** How a generated API client can authenticate. */
export const AUTH_KINDS = ['none', 'bearer', 'basic', 'header'] as const;

/** Throws DEVLAKE_E_GEN_INVALID_ANSWER unless `kind` is an auth kind (and `header` has a valid header name). */
export function validateAuth(kind: string, header?: string): { kind: (typeof AUTH_KINDS)[number]; header: string } {
  if (!(AUTH_KINDS as readonly string[]).includes(kind)) {
    throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', `Unknown auth kind "${kind}"`, { hint: `Pass --auth with one of: ${AUTH_KINDS.join(', ')}.` });
  }
  if (kind === 'header' && !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(header ?? '')) {
    throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', `--auth header needs --auth-header with a header name, got ${JSON.stringify(header ?? '')}`, {
      hint: 'Pass e.g. --auth header --auth-header X-Api-Key; the value comes from <PLUGIN>_AUTH_HEADER_VALUE.',
    });
  }
  return { kind: kind as (typeof AUTH_KINDS)[number], header: kind === 'header' ? header! : '' };
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
    domainTypes: parseDomainTypes(answers.domainTypes),
    httpPath,
    pagination,
    // The API's pagination, declared once in api-client.ts, is imported rather than repeated.
    pluginPagination: pagination !== 'none' && pagination === pluginPagination(view, answers.plugin),
    records: answers.recordPath?.length ? bodyRead(answers.recordPath, 'unknown[] | null') : undefined,
    cursor: bodyRead(answers.cursorPath ?? ['next_cursor'], 'string | number | null'),
    totalPages: answers.totalPagesPath?.length ? bodyRead(answers.totalPagesPath, 'number | null') : undefined,
  };
  const file = `tasks/${n.fileName}-collector.ts`;
  return [
    { path: `${answers.plugin}/${file}`, content: renderTemplate('collector/collector.ts.hbs', ctx), policy: 'create' },
    registered(`${answers.plugin}/index.ts`, index, [
      { target: { method: 'subTaskMetas' }, identifier: `Collect${n.className}Meta`, from: `./tasks/${n.fileName}-collector` },
    ]),
  ];
}

/** The pagination a plugin's api-client.ts declares (`export const PAGINATION = 'page'`), or `none` (also for plugins made before it). */
export function pluginPagination(view: PluginsView, plugin: string): PaginationMode {
  const m = /^export const PAGINATION = '(\w+)';$/m.exec(view.read(`${plugin}/api-client.ts`) ?? '');
  return m && (PAGINATION_MODES as readonly string[]).includes(m[1]!) ? (m[1] as PaginationMode) : 'none';
}

/** Throws DEVLAKE_E_GEN_INVALID_ANSWER unless `type` is a column type of generated tables. */
export function validateColumnType(type: string): ColumnType {
  if ((COLUMN_TYPES as readonly string[]).includes(type)) return type as ColumnType;
  throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', `Unknown column type "${type}"`, {
    hint: `Pass --type with one of: ${COLUMN_TYPES.join(', ')}.`,
  });
}

/** A versioned migration script, registered: an empty new table, or (with `addColumn`) a column added to a tool table. */
export function planMigration(view: PluginsView, answers: MigrationAnswers): GeneratedFile[] {
  requirePlugin(view, answers.plugin);
  const plugin = answers.plugin;
  const name = validateName('migration', answers.name);
  const n = names(name);
  const version =
    (answers.version !== undefined ? validateMigrationVersion(answers.version) : undefined) ??
    existingMigration(view, plugin, n.fileName) ??
    nextVersion(view, plugin);
  const ctx = {
    ...pluginContext(plugin),
    ...n,
    migration: { version, name: n.snakeName, fileName: `${version}-${n.fileName}`, constName: n.propertyName },
    addColumn: answers.addColumn ? addColumnContext(view, plugin, answers.addColumn) : undefined,
  };
  const template = ctx.addColumn ? 'migration/add-column.ts.hbs' : 'migration/migration.ts.hbs';
  return [
    { path: `${plugin}/migrations/${ctx.migration.fileName}.ts`, content: renderTemplate(template, ctx), policy: 'create' },
    registered(`${plugin}/migrations/index.ts`, requireFile(view, `${plugin}/migrations/index.ts`), [
      { target: { variable: 'migrationScripts' }, identifier: ctx.migration.constName, from: `./${ctx.migration.fileName}` },
    ]),
  ];
}

/** The table, column and knex call of an add-column migration; the model must exist. */
function addColumnContext(view: PluginsView, plugin: string, spec: NonNullable<MigrationAnswers['addColumn']>) {
  const model = modelName(plugin, spec.table);
  const m = names(model);
  const modelFile = view.read(`${plugin}/models/${m.fileName}.ts`);
  // defineTable('<table>', …) or defineModel({ table: '<table>' }).
  const table = (/defineTable\('([^']+)'/.exec(modelFile ?? '') ?? /table: '([^']+)'/.exec(modelFile ?? ''))?.[1];
  if (!modelFile || !table) {
    throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', `Plugin "${plugin}" has no tool model "${model}" (models/${m.fileName}.ts) to add a column to`, {
      hint: `Pass --table with one of the plugin's models (see ${plugin}/models/), or create it with devlake create-extractor ${plugin} ${model}.`,
    });
  }
  const [key] = parsePrimaryKey(spec.column).map((k) => k.column);
  if (key === undefined || spec.column.includes(',')) {
    throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', `--column "${spec.column}" must name one column`, { hint: 'Pass one column, e.g. --column email.' });
  }
  const type = validateColumnType(spec.type ?? 'string');
  return { table, column: key, type, knex: knexColumn({ column: key, path: [key], type, nullable: true }), modelFile: `models/${m.fileName}.ts` };
}
