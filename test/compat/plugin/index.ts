/**
 * A plugin written against the public API as it was before the authoring
 * layer (defineModel + hand-written DDL, ApiCollector / ApiExtractor /
 * DataConverter classes, object-literal subtasks). Frozen: it must keep
 * compiling and passing unchanged (test/compat/compat.test.ts).
 */
import { addNoPkModelColumns, ApiCollector, ApiExtractor, createApiClient, DataConverter, defineModel, definePlugin, DomainIdGenerator, Issue } from 'devlake-ts';
import type { ApiClient, MigrationScript, Row, SubTaskMeta } from 'devlake-ts';

export interface CompatData {
  params: { ConnectionId: number };
  apiClient: ApiClient;
}

export const CompatTicket = defineModel<{ connection_id: number; id: number; title: string; closed: boolean; created: string | null }>({
  table: '_tool_compat_tickets',
  primaryKey: ['connection_id', 'id'],
});

const RAW = '_raw_compat_api_tickets';
const ids = new DomainIdGenerator('compat', 'CompatTicket');

const addTickets: MigrationScript = {
  version: 20240101000000,
  name: 'add_compat_tickets',
  async up(db) {
    await db.schema.createTable('_tool_compat_tickets', (t) => {
      t.bigInteger('connection_id').notNullable();
      t.bigInteger('id').notNullable();
      t.text('title');
      t.boolean('closed');
      t.timestamp('created', { useTz: true });
      addNoPkModelColumns(t, db);
      t.primary(['connection_id', 'id']);
    });
  },
};

export const CollectTickets: SubTaskMeta<CompatData> = {
  name: 'Collect Tickets',
  enabledByDefault: true,
  description: 'Collect tickets',
  domainTypes: ['TICKET'],
  async entryPoint(ctx) {
    const { params, apiClient } = ctx.getData();
    await new ApiCollector({ ctx, apiClient, rawTable: RAW, params, urlTemplate: 'tickets', pagination: 'none' }).execute();
  },
};

export const ExtractTickets: SubTaskMeta<CompatData> = {
  name: 'Extract Tickets',
  enabledByDefault: true,
  description: 'Extract tickets',
  domainTypes: ['TICKET'],
  async entryPoint(ctx) {
    const { params } = ctx.getData();
    await new ApiExtractor<{ id: number; title: string; state: string; created_at: string | null }>({
      ctx,
      rawTable: RAW,
      params,
      outputs: [CompatTicket],
      extract: (r) => [CompatTicket.row({ connection_id: params.ConnectionId, id: r.id, title: r.title, closed: r.state === 'closed', created: r.created_at })],
    }).execute();
  },
};

export const ConvertTickets: SubTaskMeta<CompatData> = {
  name: 'Convert Tickets',
  enabledByDefault: true,
  description: 'Convert tickets',
  domainTypes: ['TICKET'],
  async entryPoint(ctx) {
    const { params } = ctx.getData();
    await new DataConverter<Row>({
      ctx,
      rawTable: RAW,
      params,
      input: (db) => db('_tool_compat_tickets').where({ connection_id: params.ConnectionId }),
      inputKey: ['connection_id', 'id'],
      outputs: [Issue],
      // Today's style: the plugin normalises what each driver returns itself.
      convert: (row) => [
        Issue.row({
          id: ids.generate(Number(row.connection_id), Number(row.id)),
          title: String(row.title ?? ''),
          status: row.closed === true || row.closed === 1 ? 'DONE' : 'TODO',
        }),
      ],
    }).execute();
  },
};

export default definePlugin<{ connectionId: number; endpoint: string }, CompatData>({
  name: 'compat',
  description: 'A plugin in the pre-authoring-layer style',
  subTaskMetas: () => [CollectTickets, ExtractTickets, ConvertTickets],
  prepareTaskData: (taskCtx, options) => ({
    params: { ConnectionId: options.connectionId },
    apiClient: createApiClient(taskCtx, { endpoint: options.endpoint }),
  }),
  migrationScripts: () => [addTickets],
});
