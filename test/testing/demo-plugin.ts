import { defineModel } from '../../src/core/model';
import { definePlugin, defineSubTask } from '../../src/core/plugin';
import { addNoPkModelColumns } from '../../src/dal/columns';
import { ApiExtractor } from '../../src/helpers/api-extractor';

/** A tiny plugin for DataFlowTester tests: one tool table, one extractor. */
export const DemoItem = defineModel<{
  connection_id: number;
  item_id: number;
  title: string;
  closed: boolean;
  created_date: Date | null;
  labels: unknown;
}>({ table: '_tool_demo_items', primaryKey: ['connection_id', 'item_id'] });

export interface DemoData {
  params: { ConnectionId: number; Name: string };
}

export const ExtractItemsMeta = defineSubTask<DemoData>({
  name: 'Extract Items',
  description: 'Extract demo items',
  enabledByDefault: true,
  domainTypes: ['TICKET'],
  async entryPoint(ctx) {
    await new ApiExtractor<{ id: number; title: string; closed: boolean; created_at: string | null; labels: unknown }>({
      ctx,
      rawTable: '_raw_demo_api_items',
      params: ctx.getData().params,
      outputs: [DemoItem],
      extract: (rec) => [
        DemoItem.row({
          connection_id: ctx.getData().params.ConnectionId,
          item_id: rec.id,
          title: rec.title,
          closed: rec.closed,
          created_date: rec.created_at ? new Date(rec.created_at) : null,
          labels: rec.labels,
        }),
      ],
    }).execute();
  },
});

export const demoPlugin = definePlugin<{ connectionId: number; name: string }, DemoData>({
  name: 'demo',
  description: 'demo plugin',
  subTaskMetas: () => [ExtractItemsMeta],
  prepareTaskData: (_ctx, options) => ({ params: { ConnectionId: options.connectionId, Name: options.name } }),
  migrationScripts: () => [
    {
      version: 20240101000000,
      name: 'add_demo_items',
      async up(db) {
        await db.schema.createTable('_tool_demo_items', (t) => {
          t.bigInteger('connection_id').notNullable();
          t.bigInteger('item_id').notNullable();
          t.text('title');
          t.boolean('closed');
          t.timestamp('created_date', { useTz: true });
          t.json('labels');
          addNoPkModelColumns(t, db);
          t.primary(['connection_id', 'item_id']);
        });
      },
    },
  ],
});
