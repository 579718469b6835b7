import * as path from 'node:path';

/**
 * The plugin run_e2e runs with `devlake run`: collect issues from the bench's
 * page server (BENCH_E2E_ENDPOINT), extract them into the 14-column tool
 * table of ./issue-tool.ts and convert them into the domain `issues` table,
 * written as a plugin author would, in TypeScript.
 */
export const E2E_PLUGIN = 'benche2e';
export const E2E_RAW_TABLE = '_raw_benche2e_issues';
export const E2E_TOOL_TABLE = '_tool_benche2e_issues';
/** Collector concurrency, as collect_http. */
export const E2E_CONCURRENCY = 8;
const ISSUE_TOOL_MODULE = path.join(__dirname, 'issue-tool.ts');

export const e2ePluginSource = `
import { ApiCollector, ApiExtractor, DataConverter, DomainIdGenerator, Issue, createApiClient, defineModel, definePlugin } from 'devlake-ts';
import { defineIssueToolTable, issueToolFields } from ${JSON.stringify(ISSUE_TOOL_MODULE)};

const RAW = '${E2E_RAW_TABLE}';
const PARAMS = { ConnectionId: 1, Name: 'apache/incubator-devlake' };
const Tool = defineModel<Record<string, any>>({ table: '${E2E_TOOL_TABLE}', primaryKey: ['connection_id', 'github_id'] });
const issueId = new DomainIdGenerator('${E2E_PLUGIN}', 'BenchIssue');

export default definePlugin({
  name: '${E2E_PLUGIN}',
  description: 'bench: collect, extract and convert issues from a local server',
  subTaskMetas() {
    return [
      {
        name: 'Collect Issues',
        enabledByDefault: true,
        description: 'API issues to the raw table',
        domainTypes: ['TICKET'],
        async entryPoint(ctx) {
          const apiClient = createApiClient(ctx, { endpoint: process.env.BENCH_E2E_ENDPOINT!, requestsPerHour: 1e9, concurrency: ${E2E_CONCURRENCY} });
          try {
            await new ApiCollector({
              ctx,
              apiClient,
              rawTable: RAW,
              params: PARAMS,
              urlTemplate: 'issues',
              pagination: 'totalPages',
              pageSize: 100,
              concurrency: ${E2E_CONCURRENCY},
              getTotalPages: (res) => Number(res.headers['x-total-pages']),
            }).execute();
          } finally {
            await apiClient.close();
          }
        },
      },
      {
        name: 'Extract Issues',
        enabledByDefault: true,
        description: 'raw issues to the tool table',
        domainTypes: ['TICKET'],
        async entryPoint(ctx) {
          await new ApiExtractor<any>({ ctx, rawTable: RAW, params: PARAMS, outputs: [Tool], extract: (issue) => [Tool.row(issueToolFields(issue))] }).execute();
        },
      },
      {
        name: 'Convert Issues',
        enabledByDefault: true,
        description: 'tool issues to domain issues',
        domainTypes: ['TICKET'],
        async entryPoint(ctx) {
          await new DataConverter<Record<string, any>>({
            ctx,
            rawTable: RAW,
            params: PARAMS,
            outputs: [Issue],
            input: (db) => db(Tool.table).select('*').where({ connection_id: 1 }),
            inputKey: ['connection_id', 'github_id'],
            convert: (t) => [
              Issue.row({
                id: issueId.generate(t.connection_id, t.github_id),
                url: 'https://github.com/apache/incubator-devlake/issues/' + t.number,
                issue_key: String(t.number),
                title: t.title,
                type: 'ISSUE',
                status: t.state === 'closed' ? 'DONE' : 'TODO',
                original_status: t.state,
                created_date: t.created_date,
                updated_date: t.updated_date,
                resolution_date: t.closed_date,
                creator_name: t.author_login,
              }),
            ],
          }).execute();
        },
      },
    ];
  },
  async prepareTaskData() {
    return {};
  },
  migrationScripts() {
    return [
      {
        version: 20240101000000,
        name: 'add_tool_benche2e_issues',
        async up(db) {
          await db.schema.createTable(Tool.table, defineIssueToolTable);
        },
      },
    ];
  },
});
`;
