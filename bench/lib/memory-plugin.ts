import * as path from 'node:path';

/**
 * The source of the plugin memory_scaling runs with `devlake run`: an
 * extractor (raw issues → a 14-column tool table) and a converter (→ the
 * domain `issues` table), written as a plugin author would, in TypeScript.
 * The tool table and the extract mapping come from ./issue-tool.ts, which the
 * extract measures use too.
 */
export const MEMORY_PLUGIN = 'benchmem';
export const MEMORY_RAW_TABLE = '_raw_benchmem_issues';
/** The tool table and extract mapping the extract measures use too, imported by the plugin by path. */
const ISSUE_TOOL_MODULE = path.join(__dirname, 'issue-tool.ts');

export const memoryPluginSource = `
import { ApiExtractor, DataConverter, DomainIdGenerator, Issue, defineModel, definePlugin } from 'devlake-ts';
import { defineIssueToolTable, issueToolFields } from ${JSON.stringify(ISSUE_TOOL_MODULE)};

const RAW = '${MEMORY_RAW_TABLE}';
const PARAMS = { ConnectionId: 1, Name: 'apache/incubator-devlake' };
const Tool = defineModel<Record<string, any>>({ table: '_tool_benchmem_issues', primaryKey: ['connection_id', 'github_id'] });
const issueId = new DomainIdGenerator('benchmem', 'BenchmemIssue');

export default definePlugin({
  name: '${MEMORY_PLUGIN}',
  description: 'bench: extract and convert synthetic issues',
  subTaskMetas() {
    return [
      {
        name: 'Extract Issues',
        enabledByDefault: true,
        description: 'raw issues to the tool table',
        domainTypes: ['TICKET'],
        async entryPoint(ctx) {
          await new ApiExtractor<any>({
            ctx,
            rawTable: RAW,
            params: PARAMS,
            outputs: [Tool],
            extract: (issue) => [Tool.row(issueToolFields(issue))],
          }).execute();
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
        name: 'add_tool_benchmem_issues',
        async up(db) {
          await db.schema.createTable(Tool.table, defineIssueToolTable);
        },
      },
    ];
  },
});
`;
