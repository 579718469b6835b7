import type { Knex } from 'knex';
import type { SubTaskContext } from '../core/context';
import { DevlakeError } from '../core/errors';
import type { Dal } from '../core/dal';
import type { ModelDef, ModelRow } from '../core/model';
import type { SubTaskMeta } from '../core/plugin';
import type { ColumnRule, MappingColumns } from '../core/extract-mapping';
import type { TableDef, TableSpec } from '../core/table';
import type { ApiClient } from './api-client';
import { ApiCollector, type ApiCollectorArgs } from './api-collector';
import { ApiExtractor, type ExtractorRawRow } from './api-extractor';
import { DataConverter } from './data-converter';
import type { ConvertRule, ConvertWhere } from '../core/convert-mapping';
import { checkMappedConverter, MappedConverter, type MappedOutput } from './mapped-converter';
import { MappedExtractor, type MappedEngine, type MappedExtractorArgs, type PerRecord } from './mapped-extractor';

/**
 * Subtask factories: a subtask file is its mapping and little else. Each
 * returns a `SubTaskMeta` whose name follows DevLake's convention from the
 * entity (`issues` → `Collect Issues`, `Extract Issues`, `Convert Issues`),
 * and takes the scope params (and the API client) from the task data.
 *
 * @example
 * export const ExtractIssues = extractor<GithubTaskData, IssueJson>({
 *   entity: 'issues',
 *   rawTable: '_raw_github_api_issues',
 *   outputs: [GithubIssue],
 *   extract: (issue, { data }) => [GithubIssue.row({ connection_id: data.options.connectionId, github_id: issue.id })],
 * });
 */

/** What the factories need from a plugin's task data: the scope params, and for a collector its API client. */
export interface FactoryTaskData {
  /** The scope params, e.g. `{ ConnectionId: 1, Name: 'org/repo' }`: raw rows and provenance are filtered by them. */
  params: unknown;
  /** The connection's client, for collectors. */
  apiClient?: ApiClient;
}

/** Fields every factory takes. */
export interface SubtaskDefBase {
  /** The entity, in the plural, as in the raw table: `issues`, `pull_request_comments`. */
  entity: string;
  /** Override the conventional name (`Extract Issues`). */
  name?: string;
  /** Default: `<verb> <entity> (<raw table>)`. */
  description?: string;
  /** Default `true`. */
  enabledByDefault?: boolean;
  /** Default `[]`. */
  domainTypes?: string[];
  /** Names of subtasks that must run first. */
  dependencies?: string[];
}

/** What an extract or convert function gets besides its input: the task data, the run's transaction. */
export interface MappingEnv<TData> {
  data: TData;
  /** The run's transaction: query it (never `ctx.db`) to look something up. */
  db: Dal;
  ctx: SubTaskContext<TData>;
}

/** `pull_request_comments` → `Pull Request Comments`. */
export function entityTitle(entity: string): string {
  return entity
    .split(/[_\-\s]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');
}

function meta<TData>(verb: string, def: SubtaskDefBase, what: string, entryPoint: (ctx: SubTaskContext<TData>) => Promise<void>): SubTaskMeta<TData> {
  return {
    name: def.name ?? `${verb} ${entityTitle(def.entity)}`,
    description: def.description ?? `${verb} ${def.entity.replace(/_/g, ' ')} (${what})`,
    enabledByDefault: def.enabledByDefault ?? true,
    domainTypes: def.domainTypes ?? [],
    ...(def.dependencies ? { dependencies: def.dependencies } : {}),
    entryPoint,
  };
}

/** Arguments of {@link collector}: ApiCollector's, with ctx, client and params taken from the task. */
export type CollectorDef<TData extends FactoryTaskData, TInput = unknown> = SubtaskDefBase &
  Omit<ApiCollectorArgs<TData['params'], TInput>, 'ctx' | 'apiClient' | 'params' | 'input'> & {
    /** Implement for child collections: the input rows (e.g. each issue's number), made per run. Default: none. */
    input?: (env: MappingEnv<TData>) => ApiCollectorArgs<TData['params'], TInput>['input'];
  };

/** A collector subtask: `Collect <Entity>`, writing `rawTable` through ApiCollector. */
export function collector<TData extends FactoryTaskData, TInput = unknown>(def: CollectorDef<TData, TInput>): SubTaskMeta<TData> {
  const { entity: _e, name: _n, description: _d, enabledByDefault: _b, domainTypes: _t, dependencies: _s, input, ...args } = def;
  return meta<TData>('Collect', def, `API → ${def.rawTable}`, async (ctx) => {
    const data = ctx.getData();
    if (!data.apiClient) {
      throw new DevlakeError('DEVLAKE_E_API_CONFIG', `${ctx.name}: the task data has no API client`, {
        hint: "Set apiClient in the plugin's prepareTaskData (the runner calls it; a test may call tester.prepareTaskData).",
      });
    }
    await new ApiCollector<TData['params'], TInput>({
      ...args,
      ctx,
      apiClient: data.apiClient,
      params: data.params,
      input: input?.({ data, db: ctx.db, ctx }),
    }).execute();
  });
}

/** Arguments of {@link extractor}. */
export interface ExtractorDef<TData, TRecord, TPrepared = undefined> extends SubtaskDefBase {
  /** The raw table read, e.g. `_raw_github_api_issues`. */
  rawTable: string;
  /** Tables written, cleared for these params first. */
  outputs: ModelDef<any>[];
  /**
   * Implement (optional) to load once per run what every record needs (a
   * lookup of ids by number): `extract` gets it as `env.prepared`.
   */
  prepare?: (env: MappingEnv<TData>) => TPrepared | Promise<TPrepared>;
  /**
   * Implement to turn one raw record (parsed JSON) into tool rows; pure, it
   * runs again on every extraction of the same params.
   */
  extract(record: TRecord, env: MappingEnv<TData> & { raw: ExtractorRawRow; prepared: TPrepared }): ModelRow<any>[] | Promise<ModelRow<any>[]>;
}

/** An extractor subtask: `Extract <Entity>`, raw rows of the task's params → `outputs`. */
export function extractor<TData extends FactoryTaskData, TRecord = unknown, TPrepared = undefined>(def: ExtractorDef<TData, TRecord, TPrepared>): SubTaskMeta<TData> {
  return meta<TData>('Extract', def, `${def.rawTable} → ${def.outputs.map((o) => o.table).join(', ')}`, async (ctx) => {
    const data = ctx.getData();
    const prepared = (def.prepare ? await def.prepare({ data, db: ctx.db, ctx }) : undefined) as TPrepared;
    await new ApiExtractor<TRecord>({
      ctx,
      rawTable: def.rawTable,
      params: data.params,
      outputs: def.outputs,
      extract: (record, raw, db) => def.extract(record, { data, db, ctx, raw, prepared }),
    }).execute();
  });
}

/** Arguments of {@link converter}. */
export interface ConverterDef<TData, TIn> extends SubtaskDefBase {
  /** The raw table the input came from (provenance; old output rows from it are replaced). */
  rawTable: string;
  /** The input table: its key pages the read, its declared columns decode the rows. */
  from: ModelDef<any> & { spec?: TableSpec };
  /** Implement to narrow the input to the task's scope: `(q, data) => q.where({ repo_id: data.options.githubId })`. Default: every row. */
  where?: (query: Knex.QueryBuilder, data: TData) => Knex.QueryBuilder;
  /** Tables written, cleared for these params first. */
  outputs: ModelDef<any>[];
  /** Implement to map one input row to domain rows; pure, it runs again on every conversion. */
  convert(row: TIn, env: MappingEnv<TData>): ModelRow<any>[] | Promise<ModelRow<any>[]>;
}

/** A converter subtask: `Convert <Entity>`, rows of `from` → `outputs`, values decoded per `from`'s declared types. */
export function converter<TData extends FactoryTaskData, TIn extends object = Record<string, unknown>>(def: ConverterDef<TData, TIn>): SubTaskMeta<TData> {
  return meta<TData>('Convert', def, `${def.from.table} → ${def.outputs.map((o) => o.table).join(', ')}`, async (ctx) => {
    const data = ctx.getData();
    await new DataConverter<TIn>({
      ctx,
      rawTable: def.rawTable,
      params: data.params,
      input: (db) => {
        const q = db(def.from.table).select('*');
        return def.where ? def.where(q, data) : q;
      },
      inputKey: [...def.from.primaryKey],
      inputColumns: def.from.spec?.columns,
      outputs: def.outputs,
      convert: (row, db) => def.convert(row, { data, db, ctx }),
    }).execute();
  });
}

/** Arguments of {@link mappedExtractor}. */
export interface MappedExtractorDef<TData, T extends TableDef<any> = TableDef<any>> extends SubtaskDefBase {
  /** The raw table read, e.g. `_raw_github_api_milestones`. */
  rawTable: string;
  /** The table written (a `defineTable`), cleared for these params first; it needs the provenance columns. */
  table: T;
  /**
   * Implement as one `pick.*()` rule per column you set (every primary key
   * column): `{ github_id: pick.int('id'), title: pick.asIs('title', { nullAs: '' }) }`.
   * Provenance is set for you. Runs as one SQL statement where the database
   * can evaluate every rule, else in JavaScript; the rows are the same.
   */
  columns: { readonly [K in keyof T['$inferInsert']]?: ColumnRule<TData> };
  /** `auto` (default), `sql` or `js`: see {@link MappedExtractorArgs.engine}. */
  engine?: MappedEngine;
  /**
   * Implement (optional) for what rules cannot say: called once per run with
   * the task data and the database (compile patterns, load a lookup table
   * there), it returns (or resolves to) the function applied to
   * each record after the rules. That function may set more columns of `row`,
   * return rows for the `alsoWrites` tables, or return `false` to skip the
   * record. With it the extraction runs in JavaScript.
   *
   * @example
   * perRecord: (data) => (issue, record) => {
   *   if (field(record, 'pull_request')) return false;
   *   issue.lead_time_minutes = leadTimeMinutes(issue.github_created_at, issue.closed_at);
   *   return labelsOf(record).map((name) => GithubIssueLabel.row({ issue_id: issue.github_id, label_name: name }));
   * }
   */
  perRecord?: (data: TData, db: Dal) => PerRecord<T['$inferInsert']> | Promise<PerRecord<T['$inferInsert']>>;
  /** Tables besides `table` that `perRecord` writes rows to. */
  alsoWrites?: readonly ModelDef<any>[];
}

/**
 * A declarative extractor subtask: `Extract <Entity>`, one row of `table` per
 * raw row of the task's params, each column from a rule.
 *
 * @example
 * export const ExtractMilestones = mappedExtractor<GithubTaskData, typeof GithubMilestone>({
 *   entity: 'milestones',
 *   rawTable: '_raw_github_api_milestones',
 *   table: GithubMilestone,
 *   columns: {
 *     connection_id: pick.constant((data) => data.options.connectionId),
 *     milestone_id: pick.int('id'),
 *     title: pick.asIs('title', { nullAs: '' }),
 *     closed_at: pick.time('closed_at'),
 *   },
 * });
 */
export function mappedExtractor<TData extends FactoryTaskData, T extends TableDef<any> = TableDef<any>>(def: MappedExtractorDef<TData, T>): SubTaskMeta<TData> {
  return meta<TData>('Extract', def, `${def.rawTable} → ${def.table.table}`, async (ctx) => {
    const data = ctx.getData();
    await new MappedExtractor<TData>({
      ctx,
      rawTable: def.rawTable,
      params: data.params,
      table: def.table,
      columns: def.columns as MappingColumns<TData>,
      data,
      engine: def.engine,
      perRecord: def.perRecord as MappedExtractorArgs<TData>['perRecord'],
      alsoWrites: def.alsoWrites,
    }).execute();
  });
}

/** Arguments of {@link mappedConverter}. */
export interface MappedConverterDef<TData, TOut extends MappedOutput = MappedOutput> extends SubtaskDefBase {
  /** The raw table the input came from (provenance; old output rows from it and the task's params are replaced). */
  rawTable: string;
  /** The input (tool) table, a `defineTable`: its key orders the read, its column kinds type the rules. */
  from: TableDef<any>;
  /**
   * Implement (optional) to narrow the input, as equalities: `{ _raw_data_params: conv.scopeParams() }`
   * for the rows of the task's scope, `{ connection_id: conv.param('ConnectionId') }`. Default: every row.
   */
  where?: ConvertWhere<TData>;
  /** The table written, e.g. the domain `Issue`: columns without a rule get its zero values. */
  to: TOut;
  /**
   * Implement as one `conv.*()` rule per output column you set (every
   * primary key column): `{ id: conv.domainId(issueIdGen, 'connection_id', 'github_id'), title: conv.column('title') }`.
   * Provenance is copied from the input row. Runs as one SQL statement where
   * the database can evaluate every rule, else in JavaScript; the rows are
   * the same, and the same as the `converter` factory writes.
   */
  columns: { readonly [K in keyof NonNullable<TOut['__rowType']>]?: ConvertRule<TData> };
  /** `auto` (default), `sql` or `js`: see {@link MappedConverterArgs.engine}. */
  engine?: MappedEngine;
}

/**
 * A declarative converter subtask: `Convert <Entity>`, one row of `to` per
 * row of `from` (narrowed by `where`), each column from a rule.
 *
 * @example
 * const issueIdGen = new DomainIdGenerator('github', 'GithubIssue');
 * export const ConvertIssues = mappedConverter<GithubTaskData>({
 *   entity: 'issues',
 *   rawTable: '_raw_github_api_issues',
 *   from: GithubIssue,
 *   where: { _raw_data_params: conv.scopeParams() },
 *   to: Issue,
 *   columns: {
 *     id: conv.domainId(issueIdGen, 'connection_id', 'github_id'),
 *     url: conv.concat('https://github.com/org/repo/issues/', conv.column('number')),
 *     issue_key: conv.text('number'),
 *     title: conv.column('title'),
 *     type: conv.constant('ISSUE'),
 *     status: conv.map('state', { closed: 'DONE' }, { default: 'TODO' }),
 *   },
 * });
 */
export function mappedConverter<TData extends FactoryTaskData, TOut extends MappedOutput = MappedOutput>(def: MappedConverterDef<TData, TOut>): SubTaskMeta<TData> {
  const columns = def.columns as Readonly<Record<string, ConvertRule<TData>>>;
  // Checked here: a bad declaration fails when the plugin loads, not when the subtask runs.
  checkMappedConverter({ from: def.from, to: def.to, columns, where: def.where });
  const converter = (ctx: SubTaskContext<TData>, data: TData) =>
    new MappedConverter<TData>({
      ctx,
      rawTable: def.rawTable,
      params: data.params,
      from: def.from,
      where: def.where,
      to: def.to,
      columns,
      data,
      engine: def.engine,
    });
  return meta<TData>('Convert', def, `${def.from.table} → ${def.to.table}`, async (ctx) => {
    await converter(ctx, ctx.getData()).execute();
  });
}
