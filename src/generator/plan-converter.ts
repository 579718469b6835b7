import { parse } from 'csv-parse/sync';
import { DevlakeError } from '../core/errors';
import { names, rawTableName, toolTableName } from '../core/naming';
import { csv } from './columns';
import { domainTarget, type DomainTarget } from './domain-targets';
import { collectorName, modelClassName, modelName, pluginContext, registered, requirePlugin, type PluginsView } from './plan-common';
import { renderTemplate } from './render';
import { pluginScopeKey } from './scope-key';
import { validateName } from './validate';
import type { GeneratedFile } from './write-files';

export interface ConverterAnswers {
  plugin: string;
  name: string;
  /** The tool model it reads. Default: the converter's name. */
  model?: string;
  /**
   * The collector whose raw table the tool rows came from (rows of an earlier
   * run of these params are deleted by that table). Default: the raw table the
   * model's extractor reads.
   */
  collector?: string;
  /** The domain table it writes, e.g. `accounts`. */
  domainTable: string;
}

/** What the generator knows of a tool model from its file (models/<model>.ts). */
export interface ModelInfo {
  primaryKey: string[];
  /** Columns and their TypeScript types, from the row interface. */
  columns: Map<string, string>;
}

/**
 * Reads the primary key and column types of a model file: a `defineTable`
 * declaration (what create-extractor writes) or an older `defineModel` with
 * its row interface.
 */
export function readModelInfo(text: string): ModelInfo {
  const declared = [...text.matchAll(/^\s+(\w+): col\.(\w+)\([^)]*\)([^,\n]*),/gm)];
  if (declared.length > 0) {
    const columns = new Map<string, string>();
    const primaryKey: string[] = [];
    for (const [, name, kind, mods] of declared) {
      const ts = ({ string: 'string', text: 'string', int: 'number', bigint: 'number', uint64: 'number', float: 'number', bool: 'boolean', datetime: 'Date', json: 'unknown' } as Record<string, string>)[kind!] ?? 'unknown';
      const required = /\.primaryKey\(\)|\.notNull\(\)/.test(mods!);
      if (/\.primaryKey\(\)/.test(mods!)) primaryKey.push(name!);
      columns.set(name!, required ? ts : `${ts} | null`);
    }
    return { primaryKey: primaryKey.length ? primaryKey : ['id'], columns };
  }
  const pk = /primaryKey:\s*\[([^\]]*)\]/.exec(text)?.[1] ?? "'id'";
  const primaryKey = [...pk.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
  const body = /export interface \w+Row[^{]*\{([\s\S]*?)\n\}/.exec(text)?.[1] ?? '';
  const columns = new Map([...body.matchAll(/^\s+(\w+)\??:\s*([^;]+);/gm)].map((m) => [m[1]!, m[2]!.trim()] as [string, string]));
  return { primaryKey: primaryKey.length ? primaryKey : ['id'], columns };
}

/**
 * The collector whose raw table the model's extractor reads: the extractor
 * that writes `modelClass` (a mapping function's `Model.row(…)` or a
 * declarative extractor's `table: Model`) imports the collector's constant,
 * or declares the raw table itself.
 */
export function extractorRawTable(view: PluginsView, plugin: string, modelClass: string): string | undefined {
  for (const file of view.list(`${plugin}/tasks`).filter((f) => f.endsWith('-extractor.ts'))) {
    const text = view.read(`${plugin}/tasks/${file}`) ?? '';
    // `Model.row(` in a mapping function, `table: Model,` in a declarative extractor.
    if (!new RegExp(`\\b${modelClass}\\.row\\(|^\\s+table: ${modelClass},$`, 'm').test(text)) continue;
    const imported = /import \{ RAW_\w+_TABLE \} from '\.\/([\w-]+)-collector'/.exec(text)?.[1];
    if (imported) return view.read(`${plugin}/tasks/${imported}-collector.ts`)?.match(/_TABLE = '(_raw_\w+)'/)?.[1] ?? rawTableName(plugin, imported);
    const declared = /_TABLE = '(_raw_\w+)'/.exec(text)?.[1];
    if (declared) return declared;
  }
  return undefined;
}

/** Raw tables the plugin fills or reads: its collectors' and its extractors' (for a raw table filled elsewhere). */
export function knownRawTables(view: PluginsView, plugin: string): string[] {
  const tables = view
    .list(`${plugin}/tasks`)
    .filter((f) => f.endsWith('-collector.ts') || f.endsWith('-extractor.ts'))
    .flatMap((f) => [...(view.read(`${plugin}/tasks/${f}`) ?? '').matchAll(/_TABLE = '(_raw_\w+)'/g)].map((m) => m[1]!));
  return [...new Set(tables)].sort();
}

/** Tool columns whose value names a row, in order of preference, for the domain row's name or title. */
const NAME_LIKE = ['name', 'title', 'full_name', 'summary', 'login', 'user_name', 'display_name', 'username'];

interface Field {
  column: string;
  expr: string;
  /** The value written for a tool snapshot row, as the converter snapshot shows it. */
  value: (row: Record<string, string>, id: string) => string;
}

/** The first mapping of `target` from the tool row: keys and ids from the tool key, the name into a name-like column. */
function mapFields(target: DomainTarget, model: ModelInfo): { fields: Field[]; left: string[] } {
  const pk = model.primaryKey;
  const idExpr = `idGen.generate(${pk.map((k) => `row.${k}`).join(', ')})`;
  const isText = (col: string) => /^string( \| null)?$/.test(model.columns.get(col) ?? '');
  const nameCol = NAME_LIKE.find((c) => isText(c) && !pk.includes(c));
  const nameField = (column: string): Field | undefined =>
    nameCol ? { column, expr: `row.${nameCol}`, value: (row) => row[nameCol] ?? '' } : undefined;
  const keyText: Field['value'] = (row) => row[pk[0]!] ?? '';
  const fields: Field[] = [];
  let ownIdSet = false;
  for (const key of target.primaryKey) {
    if (key === 'id' || (!ownIdSet && key.endsWith('_id'))) {
      ownIdSet = true;
      fields.push({ column: key, expr: idExpr, value: (_row, id) => id });
    } else if (/^s\d+$|^text$/.test(target.columns.find(([c]) => c === key)?.[1] ?? 'text')) {
      fields.push({ column: key, expr: `String(row.${pk[0]})`, value: keyText });
    } else {
      // A numeric key part (repo_snapshot.line_no): the own id above keeps rows apart; the author sets the real value.
      fields.push({ column: key, expr: '0', value: () => '0' });
    }
  }
  const own = new Set(target.columns.map(([c]) => c));
  if (target.table === 'accounts') {
    fields.push({ column: 'user_name', expr: `String(row.${pk[0]})`, value: keyText });
    const full = nameField('full_name');
    if (full) fields.push(full);
  } else {
    const column = ['name', 'title'].find((c) => own.has(c) && !target.primaryKey.includes(c));
    const f = column ? nameField(column) : undefined;
    if (f) fields.push(f);
  }
  const set = new Set(fields.map((f) => f.column));
  const left = target.columns.filter(([c]) => !set.has(c)).map(([c, t]) => `${c} (${t})`);
  return { fields, left };
}

/** `left` as comment lines of at most ~100 characters. */
function wrap(items: readonly string[], width = 96): string[] {
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    const next = line ? `${line}, ${item}` : item;
    if (next.length > width && line) {
      lines.push(`${line},`);
      line = item;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/** A converter subtask from a tool model to a domain table, with its test; registered. */
export function planConverter(view: PluginsView, answers: ConverterAnswers): GeneratedFile[] {
  const index = requirePlugin(view, answers.plugin);
  const plugin = answers.plugin;
  const name = validateName('converter', answers.name);
  const model = modelName(plugin, answers.model ?? name);
  const target = domainTarget(answers.domainTable);
  const n = names(name);
  const m = names(model);
  const modelFile = view.read(`${plugin}/models/${m.fileName}.ts`);
  if (modelFile === undefined) {
    throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', `Plugin "${plugin}" has no tool model "${model}" (models/${m.fileName}.ts)`, {
      hint: `Create it with: devlake create-extractor ${plugin} ${model}, or pass --model with an existing one.`,
    });
  }
  const info = readModelInfo(modelFile);
  const plugCtx = pluginContext(plugin);
  const modelClass = modelClassName(plugin, model, modelFile);
  const rawTable = answers.collector !== undefined ? rawTableName(plugin, collectorName(plugin, answers.collector)) : extractorRawTable(view, plugin, modelClass);
  const known = knownRawTables(view, plugin);
  if (rawTable === undefined || !known.includes(rawTable)) {
    const what = rawTable ? `its raw table ${rawTable} is neither filled by a collector nor read by an extractor of "${plugin}"` : `no extractor of "${plugin}" writes ${modelClass}`;
    throw new DevlakeError('DEVLAKE_E_GEN_INVALID_ANSWER', `The converter cannot tell where ${modelClass} rows come from: ${what}`, {
      hint: known.length
        ? `Pass --collector with the collector (or raw table) the ${model} rows came from: one of ${known.join(', ')}.`
        : `Create the collector and extractor first (devlake create-collector / create-extractor ${plugin} ...).`,
    });
  }
  const collectorFile = view.list(`${plugin}/tasks`).find((f) => f.endsWith('-collector.ts') && view.read(`${plugin}/tasks/${f}`)?.includes(`_TABLE = '${rawTable}'`));
  const collector = collectorFile ? collectorFile.replace(/-collector\.ts$/, '') : rawTable.slice(`_raw_${plugCtx.pluginSnake}_`.length);
  const c = names(collector);
  const toolTable = toolTableName(plugin, model);
  const { fields, left } = mapFields(target, info);
  const ctx = {
    ...plugCtx,
    ...n,
    model: { ...m, modelClass, table: toolTable, primaryKey: info.primaryKey },
    collector: { ...c, exists: collectorFile !== undefined },
    rawTable,
    target,
    fields: fields.map((f) => ({ column: f.column, expr: f.expr })),
    usesIdGen: fields.some((f) => f.expr.startsWith('idGen.')),
    left: wrap(left),
    testOptions: pluginScopeKey(view, plugin).testOptions[0],
    snapshot: converterSnapshot(view.read(`${plugin}/e2e/snapshot_tables/${toolTable}.csv`) ?? '', plugin, modelClass, info.primaryKey, fields),
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

/**
 * The domain snapshot for the extractor's snapshot rows (the converter test's
 * input): what the generated converter writes for them.
 */
function converterSnapshot(toolSnapshot: string, plugin: string, modelClass: string, pk: readonly string[], fields: readonly Field[]): string {
  const rows = toolSnapshot ? (parse(toolSnapshot, { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>) : [];
  const columns = [...new Set(fields.map((f) => f.column))];
  const header = [...columns, '_raw_data_params', '_raw_data_table', '_raw_data_id', '_raw_data_remark'];
  const out = rows.map((row) => {
    const id = `${plugin}:${modelClass}:${pk.map((k) => row[k] ?? '').join(':')}`;
    return [
      ...columns.map((col) => fields.find((f) => f.column === col)!.value(row, id)),
      row._raw_data_params ?? '',
      row._raw_data_table ?? '',
      row._raw_data_id ?? '',
      row._raw_data_remark ?? '',
    ];
  });
  return csv(header, out);
}
