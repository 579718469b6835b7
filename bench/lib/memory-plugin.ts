/**
 * The source of the plugin memory_scaling runs with `devlake run`: an
 * extractor (raw issues → a 14-column tool table) and a converter (→ the
 * domain `issues` table), written as a plugin author would, in TypeScript.
 */
export const MEMORY_PLUGIN = 'benchmem';
export const MEMORY_RAW_TABLE = '_raw_benchmem_issues';

export const memoryPluginSource = `
import { ApiExtractor, DataConverter, DomainIdGenerator, Issue, addRawDataOrigin, defineModel, definePlugin } from 'devlake-ts';

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
            extract: (issue) => [
              Tool.row({
                connection_id: 1,
                github_id: issue.id,
                number: issue.number,
                title: issue.title,
                state: issue.state,
                author_login: issue.user.login,
                comments: issue.comments,
                created_date: issue.created_at,
                updated_date: issue.updated_at,
                closed_date: issue.closed_at,
              }),
            ],
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
          await db.schema.createTable(Tool.table, (t) => {
            t.bigInteger('connection_id').notNullable();
            t.bigInteger('github_id').notNullable();
            t.integer('number');
            t.string('title', 255);
            t.string('state', 32);
            t.string('author_login', 255);
            t.integer('comments');
            t.timestamp('created_date', { useTz: true });
            t.timestamp('updated_date', { useTz: true });
            t.timestamp('closed_date', { useTz: true });
            addRawDataOrigin(t);
            t.primary(['connection_id', 'github_id']);
          });
        },
      },
    ];
  },
});
`;
