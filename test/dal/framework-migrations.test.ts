import { defineModel } from '../../src/core/model';
import { addNoPkModelColumns } from '../../src/dal/columns';
import { frameworkMigrations } from '../../src/dal/framework-migrations';
import { migrate } from '../../src/dal/migrator';
import type { RawRow } from '../../src/dal/raw-table';
import { createApiClient } from '../../src/helpers/api-client';
import { ApiCollector } from '../../src/helpers/api-collector';
import { ApiExtractor } from '../../src/helpers/api-extractor';
import { getCollectorState } from '../../src/helpers/collector-state';
import { createSubTaskContext } from '../../src/runner/context';
import { databases, type TestDb } from '../../src/testing/databases';
import { startServer, testTaskContext, type TestServer } from '../helpers/api-test-server';

const RAW = '_raw_wide_items';
const Item = defineModel<{ id: number; title: string }>({ table: '_tool_wide_items', primaryKey: ['id'] });
/** A scope far past DevLake's varchar(255): `--options '{"scope": "<300 chars>"}'`. */
const LONG_PARAMS = { ConnectionId: 1, Scope: 's'.repeat(300) };
const LONG_JSON = JSON.stringify(LONG_PARAMS);

describe.each(databases())('framework migrations on $name', ({ open }) => {
  let db: TestDb;
  let server: TestServer;
  beforeEach(async () => {
    db = await open();
    server = await startServer(() => ({ body: [{ id: 1, title: 'one' }, { id: 2, title: 'two' }] }), 20);
  });
  afterEach(async () => {
    await server.close();
    await db.drop();
  });

  async function collectAndExtract(): Promise<void> {
    const task = testTaskContext({ pluginName: 'wide', db: db.dal });
    const apiClient = createApiClient(task, { endpoint: server.url });
    try {
      const collect = createSubTaskContext(task, 'Collect Items', {}).ctx;
      await new ApiCollector({ ctx: collect, apiClient, rawTable: RAW, params: LONG_PARAMS, urlTemplate: 'items' }).execute();
    } finally {
      await apiClient.close();
    }
    const extract = createSubTaskContext(task, 'Extract Items', {}).ctx;
    await new ApiExtractor<{ id: number; title: string }>({
      ctx: extract,
      rawTable: RAW,
      params: LONG_PARAMS,
      extract: (r) => [Item.row({ id: r.id, title: r.title })],
    }).execute();
  }

  const createToolTable = (width?: number) =>
    db.dal.knex.schema.createTable(Item.table, (t) => {
      t.bigInteger('id').primary();
      t.text('title');
      if (width) {
        // The shape tables had before widen_params_columns.
        t.timestamp('created_at', { useTz: true });
        t.timestamp('updated_at', { useTz: true });
        t.string('_raw_data_params', width).index();
        t.string('_raw_data_table', 255);
        t.bigInteger('_raw_data_id');
        t.text('_raw_data_remark');
      } else addNoPkModelColumns(t, db.dal.knex);
    });

  it('a scope of 300 characters is collected and extracted, its params kept whole', async () => {
    await migrate(db.dal, [{ owner: 'framework', scripts: frameworkMigrations }]);
    await createToolTable();
    await collectAndExtract();
    const raw = (await db.dal.knex(RAW).select('*')) as RawRow[];
    expect(raw.map((r) => r.params)).toEqual([LONG_JSON, LONG_JSON]);
    const tool = (await db.dal.knex(Item.table).select('id', '_raw_data_params').orderBy('id')) as Array<{ id: number | string; _raw_data_params: string }>;
    expect(tool.map((r) => [Number(r.id), r._raw_data_params])).toEqual([
      [1, LONG_JSON],
      [2, LONG_JSON],
    ]);
    expect((await getCollectorState(db.dal, RAW, LONG_JSON))?.latestSuccessStart).toBeInstanceOf(Date);
  });

  it('widen_params_columns widens the varchar(255) params columns of existing tables, rows kept', async () => {
    const first = frameworkMigrations.filter((m) => m.name === 'add_framework_tables');
    await migrate(db.dal, [{ owner: 'framework', scripts: first }]);
    // Tables as an earlier version created them.
    await db.dal.knex.schema.createTable(RAW, (t) => {
      t.bigIncrements('id').primary();
      t.string('params', 255).notNullable().defaultTo('').index(`${RAW}_params_idx`);
      t.text('data');
      t.text('url');
      t.text('input');
      t.timestamp('created_at', { useTz: true });
    });
    await db.dal.knex(RAW).insert({ params: '{"ConnectionId":1}', data: '{"id":9}', url: 'u', input: null });
    await createToolTable(255);

    const applied = await migrate(db.dal, [{ owner: 'framework', scripts: frameworkMigrations }]);
    expect(applied.map((m) => m.name)).toContain('widen_params_columns');
    await collectAndExtract();
    const raw = (await db.dal.knex(RAW).select('params').orderBy('id')) as Array<{ params: string }>;
    expect(raw.map((r) => r.params)).toEqual(['{"ConnectionId":1}', LONG_JSON, LONG_JSON]);
    const [{ n }] = (await db.dal.knex(Item.table).where('_raw_data_params', LONG_JSON).count({ n: '*' })) as Array<{ n: number | string }>;
    expect(Number(n)).toBe(2);
  });
});
