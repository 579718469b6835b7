import { col, defineTable, noPkModelColumns, type SelectRowOf } from '../../src/core/table';
import { ensureRawTable } from '../../src/dal/raw-table';
import { createTable } from '../../src/dal/table-ddl';
import { pick } from '../../src/core/extract-mapping';
import { conv } from '../../src/core/convert-mapping';
import { collector, converter, entityTitle, extractor, mappedConverter, mappedExtractor } from '../../src/helpers/subtask-factories';
import { databases, type TestDb } from '../../src/testing/databases';
import { subTaskContext } from './subtask-fixture';

const ToolItem = defineTable('_tool_demo_items', {
  connection_id: col.bigint().primaryKey(),
  id: col.bigint().primaryKey(),
  title: col.text(),
  done: col.bool(),
  closed_at: col.datetime(),
  ...noPkModelColumns(),
});
const DomainItem = defineTable('demo_items', { id: col.string().primaryKey(), title: col.text(), closed_at: col.datetime(), done: col.bool(), ...noPkModelColumns() });
const RAW = '_raw_demo_api_items';
interface Data {
  params: { ConnectionId: number };
  connectionId: number;
}

const ExtractItems = extractor<Data, { id: number; title: string; state: string; closed_at: string | null }>({
  entity: 'items',
  rawTable: RAW,
  outputs: [ToolItem],
  extract: (r, { data }) => [ToolItem.row({ connection_id: data.connectionId, id: r.id, title: r.title, done: r.state === 'closed', closed_at: r.closed_at })],
});
/** The same extraction declared: one INSERT … SELECT where the database can. */
const ExtractItemsDeclared = mappedExtractor<Data, typeof ToolItem>({
  entity: 'items',
  name: 'Extract Items Declared',
  rawTable: RAW,
  table: ToolItem,
  columns: {
    connection_id: pick.constant((data: Data) => data.connectionId),
    id: pick.int('id'),
    title: pick.asIs('title'),
    closed_at: pick.time('closed_at'),
  },
});
const ConvertItems = converter<Data, SelectRowOf<typeof ToolItem>>({
  entity: 'items',
  name: 'Convert Demo Items',
  rawTable: RAW,
  from: ToolItem,
  where: (q, data) => q.where({ connection_id: data.connectionId }),
  outputs: [DomainItem],
  convert: (row) => {
    // Decoded values: no per-database normalising here.
    if (typeof row.id !== 'number' || (row.closed_at !== null && !(row.closed_at instanceof Date)) || typeof row.done !== 'boolean') throw new Error(`undecoded row ${JSON.stringify(row)}`);
    return [DomainItem.row({ id: `demo:${row.id}`, title: row.title, closed_at: row.closed_at, done: row.done })];
  },
});

/** The same conversion declared: one INSERT … SELECT where the database can. */
const ConvertItemsDeclared = mappedConverter<Data, typeof DomainItem>({
  entity: 'items',
  rawTable: RAW,
  from: ToolItem,
  where: { connection_id: conv.constant((data: Data) => data.connectionId) },
  to: DomainItem,
  columns: { id: conv.concat('demo:', conv.column('id')), title: conv.column('title'), closed_at: conv.column('closed_at'), done: conv.column('done') },
});

describe('subtask factories: names', () => {
  it('follow the entity, overridable', () => {
    expect(entityTitle('pull_request_comments')).toBe('Pull Request Comments');
    expect(ExtractItems.name).toBe('Extract Items');
    expect(ConvertItems.name).toBe('Convert Demo Items');
    expect(ExtractItems).toMatchObject({ enabledByDefault: true, domainTypes: [], description: `Extract items (${RAW} → _tool_demo_items)` });
    expect(ExtractItemsDeclared).toMatchObject({ name: 'Extract Items Declared', description: `Extract items (${RAW} → _tool_demo_items)` });
    expect(ConvertItemsDeclared).toMatchObject({ name: 'Convert Items', description: 'Convert items (_tool_demo_items → demo_items)' });
  });

  it('a declared converter is checked when it is made', () => {
    expect(() => mappedConverter<Data>({ entity: 'items', rawTable: RAW, from: ToolItem, to: DomainItem, columns: { title: conv.column('nope') } })).toThrow(
      /reads "nope".*primary key column "id" has no rule/,
    );
  });
});

describe.each(databases())('subtask factories on $name', ({ open }) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await open();
    await createTable(db.dal.knex, ToolItem);
    await createTable(db.dal.knex, DomainItem);
    await ensureRawTable(db.dal, RAW);
  });
  afterEach(async () => db.drop());

  it('extract then convert the task params, with decoded rows', async () => {
    const params = { ConnectionId: 1 };
    const records = [
      { id: 1, title: 'a', state: 'closed', closed_at: '2024-01-02T03:04:05Z' },
      { id: 2, title: 'b', state: 'open', closed_at: null },
    ];
    await db.dal.insert(RAW, records.map((r) => ({ params: JSON.stringify(params), data: JSON.stringify(r), url: 'u', input: null })));
    const data: Data = { params, connectionId: 1 };
    await ExtractItems.entryPoint(subTaskContext(db.dal, undefined, data).ctx);
    await ConvertItems.entryPoint(subTaskContext(db.dal, undefined, data).ctx);
    const out = [];
    for await (const r of db.dal.stream((k) => k(DomainItem.table).select('id', 'title', 'closed_at', 'done'), { key: ['id'], columns: DomainItem.spec.columns })) out.push(r);
    expect(out).toStrictEqual([
      { id: 'demo:1', title: 'a', closed_at: new Date('2024-01-02T03:04:05Z'), done: true },
      { id: 'demo:2', title: 'b', closed_at: null, done: false },
    ]);
    // The declared converter writes the same rows.
    await db.dal.knex(DomainItem.table).delete();
    await ConvertItemsDeclared.entryPoint(subTaskContext(db.dal, undefined, data).ctx);
    const declared = [];
    for await (const r of db.dal.stream((k) => k(DomainItem.table).select('id', 'title', 'closed_at', 'done'), { key: ['id'], columns: DomainItem.spec.columns })) declared.push(r);
    expect(declared).toStrictEqual(out);
  });

  it('a collector whose task data has no API client fails with DEVLAKE_E_API_CONFIG before any request', async () => {
    const CollectItems = collector<Data>({ entity: 'items', rawTable: RAW, urlTemplate: 'items' });
    const data: Data = { params: { ConnectionId: 1 }, connectionId: 1 };
    await expect(CollectItems.entryPoint(subTaskContext(db.dal, undefined, data).ctx)).rejects.toMatchObject({ code: 'DEVLAKE_E_API_CONFIG' });
    expect(await db.dal.knex(RAW).select('id')).toStrictEqual([]);
  });

  it('a declared extractor writes the rows of the task params', async () => {
    const params = { ConnectionId: 3 };
    const records = [{ id: 5, title: 'x', closed_at: '2024-01-02T03:04:05+01:00' }, { id: 6, title: null }];
    await db.dal.insert(RAW, records.map((r) => ({ params: JSON.stringify(params), data: JSON.stringify(r), url: 'u', input: null })));
    await ExtractItemsDeclared.entryPoint(subTaskContext(db.dal, undefined, { params, connectionId: 3 }).ctx);
    const out = [];
    for await (const r of db.dal.stream((k) => k(ToolItem.table).select('connection_id', 'id', 'title', 'closed_at', '_raw_data_params'), { key: ['connection_id', 'id'], columns: ToolItem.spec.columns })) out.push(r);
    expect(out).toStrictEqual([
      { connection_id: 3, id: 5, title: 'x', closed_at: new Date('2024-01-02T02:04:05Z'), _raw_data_params: '{"ConnectionId":3}' },
      { connection_id: 3, id: 6, title: null, closed_at: null, _raw_data_params: '{"ConnectionId":3}' },
    ]);
  });
  it('an extractor prepares a lookup once per run and gives it to every record', async () => {
    const params = { ConnectionId: 4 };
    await db.dal.insert(RAW, [7, 8, 9].map((id) => ({ params: JSON.stringify(params), data: JSON.stringify({ id, title: `t${id}` }), url: 'u', input: null })));
    let prepares = 0;
    const ExtractWithLookup = extractor<Data, { id: number; title: string }, Map<number, string>>({
      entity: 'items',
      rawTable: RAW,
      outputs: [ToolItem],
      prepare: async ({ db: dal, data }) => {
        prepares++;
        const raws = (await dal.knex(RAW).count({ n: '*' })) as Array<{ n: unknown }>; // the run's database is at hand
        return new Map([[8, `eight of ${Number(raws[0]!.n)} for ${data.connectionId}`]]);
      },
      extract: (r, { data, prepared }) => [ToolItem.row({ connection_id: data.connectionId, id: r.id, title: prepared.get(r.id) ?? r.title })],
    });
    await ExtractWithLookup.entryPoint(subTaskContext(db.dal, undefined, { params, connectionId: 4 }).ctx);
    expect(prepares).toBe(1);
    const rows = await db.dal.knex(ToolItem.table).orderBy('id').select('id', 'title');
    expect(rows.map((r) => [Number(r.id), r.title])).toStrictEqual([[7, 't7'], [8, 'eight of 3 for 4'], [9, 't9']]);
  });
});
