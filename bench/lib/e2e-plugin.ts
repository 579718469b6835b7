/**
 * The plugin run_e2e runs with `devlake run`: collect issues from the bench's
 * page server (BENCH_E2E_ENDPOINT), extract them into the 14-column tool
 * table of ./issue-tool.ts and convert them into the domain `issues` table,
 * written as the generator and the docs tell a plugin author to write it
 * today: the `collector`, `mappedExtractor` and `mappedConverter` subtask
 * factories (the declarative forms of what create-collector, create-extractor
 * and create-converter emit), a `defineTable` model and its `tablesMigration`.
 */
export const E2E_PLUGIN = 'benche2e';
export const E2E_RAW_TABLE = '_raw_benche2e_issues';
export const E2E_TOOL_TABLE = '_tool_benche2e_issues';
/** Collector concurrency, as collect_http. */
export const E2E_CONCURRENCY = 8;

export const e2ePluginSource = `
import {
  collector, col, conv, createApiClient, defineTable, definePlugin, DomainIdGenerator, DomainTypes, Issue, mappedConverter, mappedExtractor, pick,
  rawDataOriginColumns, tablesMigration, type ApiClient,
} from 'devlake-ts';

const RAW = '${E2E_RAW_TABLE}';

/** The 14-column tool table (bench/lib/issue-tool.ts's columns), declared as create-extractor writes models. */
const BenchIssue = defineTable('${E2E_TOOL_TABLE}', {
  connection_id: col.bigint().primaryKey(),
  github_id: col.bigint().primaryKey(),
  number: col.int(),
  title: col.string(255),
  state: col.string(32),
  author_login: col.string(255),
  comments: col.int(),
  created_date: col.datetime(),
  updated_date: col.datetime(),
  closed_date: col.datetime(),
  ...rawDataOriginColumns(),
});

interface TaskData {
  params: { ConnectionId: number; Name: string };
  apiClient: ApiClient;
}

const issueId = new DomainIdGenerator('${E2E_PLUGIN}', 'BenchIssue');

const CollectIssues = collector<TaskData>({
  entity: 'issues',
  domainTypes: [DomainTypes.TICKET],
  rawTable: RAW,
  urlTemplate: 'issues',
  pagination: 'totalPages',
  pageSize: 100,
  concurrency: ${E2E_CONCURRENCY},
  getTotalPages: (firstResponse) => Number(firstResponse.headers['x-total-pages'] ?? 1),
});

const ExtractIssues = mappedExtractor<TaskData, typeof BenchIssue>({
  entity: 'issues',
  domainTypes: [DomainTypes.TICKET],
  dependencies: ['Collect Issues'],
  rawTable: RAW,
  table: BenchIssue,
  columns: {
    connection_id: pick.constant((data) => data.params.ConnectionId),
    github_id: pick.asIs('id'),
    number: pick.asIs('number'),
    title: pick.asIs('title'),
    state: pick.asIs('state'),
    author_login: pick.asIs('user.login'),
    comments: pick.asIs('comments'),
    created_date: pick.asIs('created_at'),
    updated_date: pick.asIs('updated_at'),
    closed_date: pick.asIs('closed_at'),
  },
});

const ConvertIssues = mappedConverter<TaskData, typeof Issue>({
  entity: 'issues',
  domainTypes: [DomainTypes.TICKET],
  dependencies: ['Extract Issues'],
  rawTable: RAW,
  from: BenchIssue,
  where: { _raw_data_params: conv.scopeParams() },
  to: Issue,
  columns: {
    id: conv.domainId(issueId, 'connection_id', 'github_id'),
    url: conv.concat('https://github.com/apache/incubator-devlake/issues/', conv.column('number')),
    issue_key: conv.text('number'),
    title: conv.column('title'),
    type: conv.constant('ISSUE'),
    status: conv.map('state', { closed: 'DONE' }, { default: 'TODO' }),
    original_status: conv.column('state'),
    created_date: conv.column('created_date'),
    updated_date: conv.column('updated_date'),
    resolution_date: conv.column('closed_date'),
    creator_name: conv.column('author_login'),
  },
});

const clients = new WeakMap<object, ApiClient>();

export default definePlugin<Record<string, unknown>, TaskData>({
  name: '${E2E_PLUGIN}',
  description: 'bench: collect, extract and convert issues from a local server',
  subTaskMetas() {
    return [CollectIssues, ExtractIssues, ConvertIssues];
  },
  async prepareTaskData(taskCtx) {
    const apiClient = createApiClient(taskCtx, { endpoint: process.env.BENCH_E2E_ENDPOINT!, requestsPerHour: 1e9, concurrency: ${E2E_CONCURRENCY} });
    clients.set(taskCtx, apiClient);
    return { params: { ConnectionId: 1, Name: 'apache/incubator-devlake' }, apiClient };
  },
  migrationScripts() {
    return [tablesMigration(20240101000000, 'add_tool_benche2e_issues', [BenchIssue])];
  },
  getTablesInfo() {
    return [BenchIssue];
  },
  async close(taskCtx) {
    await clients.get(taskCtx)?.close();
  },
});
`;
