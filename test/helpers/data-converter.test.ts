import { hasErrorCode } from '../../src/core/errors';
import { defineModel } from '../../src/core/model';
import { addNoPkModelColumns } from '../../src/dal/columns';
import { DataConverter } from '../../src/helpers/data-converter';
import { DomainIdGenerator } from '../../src/helpers/didgen';
import { databases, type TestDb } from '../../src/testing/databases';
import { subTaskContext } from './subtask-fixture';

interface ToolItem {
  connection_id: number;
  item_id: number;
  title: string;
  repo_id: number;
  _raw_data_params: string;
  _raw_data_table: string;
  _raw_data_id: number;
  _raw_data_remark: string;
}
const DomainItem = defineModel<{ id: string; title: string; url?: string | null }>({ table: 'demo_items', primaryKey: ['id'] });

const RAW = '_raw_demo_api_items';
const PARAMS = { ConnectionId: 1, Name: 'org/repo' };
const PARAMS_JSON = '{"ConnectionId":1,"Name":"org/repo"}';
const idGen = new DomainIdGenerator('demo', 'DemoItem');

describe.each(databases())('DataConverter on $name', ({ open }) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await open();
    await db.dal.knex.schema.createTable('_tool_demo_items', (t) => {
      t.bigInteger('connection_id').notNullable();
      t.bigInteger('item_id').notNullable();
      t.bigInteger('repo_id');
      t.text('title');
      addNoPkModelColumns(t, db.dal.knex);
      t.primary(['connection_id', 'item_id']);
    });
    await db.dal.knex.schema.createTable(DomainItem.table, (t) => {
      t.string('id', 255).primary();
      t.text('title');
      t.text('url');
      addNoPkModelColumns(t, db.dal.knex);
    });
  });
  afterEach(async () => db.drop());

  const tool = (n: number, from = 1) =>
    db.dal.insert(
      '_tool_demo_items',
      Array.from({ length: n }, (_, i) => ({
        connection_id: 1,
        item_id: from + i,
        repo_id: 7,
        title: `t${from + i}`,
        _raw_data_params: PARAMS_JSON,
        _raw_data_table: RAW,
        _raw_data_id: 100 + from + i,
        _raw_data_remark: i === 0 ? 'first' : '',
      })),
    );

  const converter = (opts: { failOn?: number; signal?: AbortSignal; onRow?: () => void } = {}) => {
    const { ctx, progress } = subTaskContext(db.dal, opts.signal);
    const conv = new DataConverter<ToolItem>({
      ctx,
      rawTable: RAW,
      params: PARAMS,
      input: (k) => k('_tool_demo_items').where({ connection_id: 1, repo_id: 7 }),
      inputKey: ['connection_id', 'item_id'],
      outputs: [DomainItem],
      batchSize: 3,
      convert(row) {
        opts.onRow?.();
        if (Number(row.item_id) === opts.failOn) throw new Error('cannot convert');
        return [DomainItem.row({ id: idGen.generate(Number(row.connection_id), Number(row.item_id)), title: row.title.toUpperCase() })];
      },
    });
    return { conv, progress };
  };

  const domain = async () =>
    (await db.dal.knex(DomainItem.table).select('id', 'title', '_raw_data_params', '_raw_data_table', '_raw_data_id', '_raw_data_remark').orderBy('id')).map(
      (r) => ({ ...r, _raw_data_id: Number(r._raw_data_id) }),
    );

  it('converts with provenance copied from the source rows, and a re-run gives identical tables', async () => {
    await tool(7);
    const { conv, progress } = converter();
    const written = await conv.execute();
    expect(written.get(DomainItem.table)).toBe(7);
    expect(progress.total).toBe(7);
    expect(progress.current).toBe(7);
    const first = await domain();
    expect(first[0]).toEqual({
      id: 'demo:DemoItem:1:1',
      title: 'T1',
      _raw_data_params: PARAMS_JSON,
      _raw_data_table: RAW,
      _raw_data_id: 101,
      _raw_data_remark: 'first',
    });
    await converter().conv.execute();
    expect(await domain()).toEqual(first);
  });

  it('removes stale domain rows of its origin and keeps other origins', async () => {
    await tool(3);
    await converter().conv.execute();
    await db.dal.insert(DomainItem.table, [{ id: 'other', title: 'x', _raw_data_table: RAW, _raw_data_params: '{"ConnectionId":2}' }]);
    await db.dal.knex('_tool_demo_items').where({ item_id: 2 }).delete();
    await converter().conv.execute();
    expect((await domain()).map((r) => r.id)).toEqual(['demo:DemoItem:1:1', 'demo:DemoItem:1:3', 'other']);
  });

  it('leaves the previous rows when convert throws half-way', async () => {
    await tool(3);
    await converter().conv.execute();
    const before = await domain();
    await tool(5, 4);
    const err = await converter({ failOn: 8 }).conv.execute().catch((e: unknown) => e);
    expect(hasErrorCode(err, 'DEVLAKE_E_CONVERT')).toBe(true);
    expect((err as Error).message).toContain('connection_id=1, item_id=8');
    expect(await domain()).toEqual(before);
  });

  it('rolls back on abort', async () => {
    await tool(2);
    await converter().conv.execute();
    const before = await domain();
    await tool(10, 3);
    const ac = new AbortController();
    let n = 0;
    const err = await converter({ signal: ac.signal, onRow: () => ++n === 6 && ac.abort() }).conv.execute().catch((e: unknown) => e);
    expect(hasErrorCode(err, 'DEVLAKE_E_CANCELLED')).toBe(true);
    expect(await domain()).toEqual(before);
  });

  it('leaves the session as it found it when run inside an outer transaction', async () => {
    await tool(2);
    await db.dal.transaction(async (tx) => {
      const { ctx } = subTaskContext(tx);
      await new DataConverter<ToolItem>({
        ctx,
        rawTable: RAW,
        params: PARAMS,
        input: (k) => k('_tool_demo_items'),
        inputKey: ['connection_id', 'item_id'],
        convert: (row) => [DomainItem.row({ id: idGen.generate(1, Number(row.item_id)), title: row.title })],
      }).execute();
      if (db.dialect === 'postgres') {
        const res = (await tx.knex.raw(`SELECT current_setting('enable_sort') AS v`)) as { rows: Array<{ v: string }> };
        expect(res.rows[0].v).toBe('on');
      }
    });
    expect(await domain()).toHaveLength(2);
  });

  it('lets convert() query through the transaction it is given', async () => {
    await tool(3);
    await db.dal.knex.schema.createTable('_tool_demo_repos', (t) => {
      t.bigInteger('id').primary();
      t.text('name');
    });
    await db.dal.insert('_tool_demo_repos', [{ id: 7, name: 'org/repo' }]);
    const { ctx } = subTaskContext(db.dal);
    await new DataConverter<ToolItem>({
      ctx,
      rawTable: RAW,
      params: PARAMS,
      input: (k) => k('_tool_demo_items'),
      inputKey: ['connection_id', 'item_id'],
      outputs: [DomainItem],
      async convert(row, tx) {
        const repo = (await tx.knex('_tool_demo_repos').first('name').where({ id: row.repo_id })) as { name: string };
        return [DomainItem.row({ id: idGen.generate(1, Number(row.item_id)), title: `${repo.name}#${row.item_id}` })];
      },
    }).execute();
    expect((await domain()).map((r) => r.title)).toEqual(['org/repo#1', 'org/repo#2', 'org/repo#3']);
  });

  it('says so when the input query does not select its key', async () => {
    await tool(2);
    const { ctx } = subTaskContext(db.dal);
    const err = await new DataConverter<ToolItem>({
      ctx,
      rawTable: RAW,
      params: PARAMS,
      input: (k) => k('_tool_demo_items').select('title'),
      inputKey: ['item_id'],
      convert: () => [],
    })
      .execute()
      .catch((e: unknown) => e);
    expect(hasErrorCode(err, 'DEVLAKE_E_CONVERT')).toBe(true);
    expect((err as Error).message).toContain('lack the key column(s) item_id');
  });

  it('keeps provenance a converted row sets itself', async () => {
    await tool(1);
    const { ctx } = subTaskContext(db.dal);
    await new DataConverter<ToolItem>({
      ctx,
      rawTable: RAW,
      params: PARAMS,
      input: (k) => k('_tool_demo_items').select('item_id', 'title'),
      inputKey: ['item_id'],
      convert: (row) => [
        DomainItem.row({ id: `x:${row.item_id}`, title: row.title, _raw_data_table: RAW, _raw_data_params: PARAMS_JSON, _raw_data_id: 5 } as never),
      ],
    }).execute();
    const [row] = await domain();
    expect(row).toMatchObject({ id: 'x:1', _raw_data_id: 5, _raw_data_table: RAW });
  });
});
