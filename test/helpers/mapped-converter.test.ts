import { conv, type ConvertColumns } from '../../src/core/convert-mapping';
import { hasErrorCode } from '../../src/core/errors';
import type { Row } from '../../src/core/model';
import { col, defineTable, rawDataOriginColumns } from '../../src/core/table';
import { createTable } from '../../src/dal/table-ddl';
import { Issue } from '../../src/domain';
import { DataConverter } from '../../src/helpers/data-converter';
import { DomainIdGenerator } from '../../src/helpers/didgen';
import { MappedConverter } from '../../src/helpers/mapped-converter';
import type { MappedEngine } from '../../src/helpers/mapped-statement';
import { databases, type TestDb } from '../../src/testing/databases';
import { subTaskContext } from './subtask-fixture';

const RAW = '_raw_demo_conv_items';
const PARAMS = { ConnectionId: 7, Name: 'org/répo' };
const PARAMS_JSON = JSON.stringify(PARAMS);
const OTHER_PARAMS = JSON.stringify({ ConnectionId: 8, Name: 'x' });

const Tool = defineTable('_tool_demo_conv_items', {
  connection_id: col.bigint().primaryKey(),
  item_id: col.bigint().primaryKey(),
  number: col.int(),
  big: col.bigint(),
  title: col.string(255),
  body: col.text(),
  state: col.string(32),
  login: col.string(100),
  created: col.datetime(),
  flag: col.bool(),
  ratio: col.float(),
  ...rawDataOriginColumns(),
});

const issueGen = new DomainIdGenerator('demo', 'DemoItem');
const accountGen = new DomainIdGenerator('demo', 'DemoAccount');
const BIG = 9007199254740993n; // 2^53 + 1: a double would print …992

/** Every rule: domain ids (integer and text parts), concatenation, number to text, copies of each kind, constants, params, value maps. */
const RULES: ConvertColumns = {
  id: conv.domainId(issueGen, 'connection_id', 'item_id'),
  url: conv.concat('https://example.com/ü/', conv.column('number'), '/', conv.column('big')),
  issue_key: conv.text('number'),
  title: conv.column('title'),
  description: conv.column('body'),
  type: conv.constant('ISSUE'),
  original_type: conv.param('Name'),
  status: conv.map('state', { closed: 'DONE', open: 'TODO', 'ünïcode ✓': 'OTHER', '': 'EMPTY' }, { default: 'IN_PROGRESS' }),
  priority: conv.map('big', { '9007199254740993': 'BIG', '-9223372036854775807': 'MIN', '1': 'ONE' }),
  original_status: conv.column('state'),
  created_date: conv.column('created'),
  resolution_date: conv.column('created'),
  story_point: conv.column('ratio'),
  lead_time_minutes: conv.column('number'),
  time_spent_minutes: conv.column('big'),
  is_subtask: conv.column('flag'),
  creator_id: conv.domainId(accountGen, 'connection_id', 'login'),
  creator_name: conv.column('login'),
  component: conv.text('login'),
};

/** The same mapping written by hand, as a plugin's `convert()` would: the rows every engine must match. */
function handWritten(r: Row): Row {
  const text = (...parts: unknown[]) => (parts.some((p) => p === null) ? null : parts.map((p) => String(p)).join(''));
  const statuses: Record<string, string> = { closed: 'DONE', open: 'TODO', 'ünïcode ✓': 'OTHER', '': 'EMPTY' };
  return {
    id: issueGen.generate(r.connection_id as number, r.item_id as number),
    url: text('https://example.com/ü/', r.number, '/', r.big),
    issue_key: r.number === null ? null : String(r.number),
    title: r.title,
    description: r.body,
    type: 'ISSUE',
    original_type: PARAMS.Name,
    status: typeof r.state === 'string' && Object.hasOwn(statuses, r.state) ? statuses[r.state] : 'IN_PROGRESS',
    priority: r.big === null ? null : ({ '9007199254740993': 'BIG', '-9223372036854775807': 'MIN', '1': 'ONE' } as Record<string, string>)[String(r.big)] ?? null,
    original_status: r.state,
    created_date: r.created,
    resolution_date: r.created,
    story_point: r.ratio,
    lead_time_minutes: r.number,
    time_spent_minutes: r.big,
    is_subtask: r.flag,
    creator_id: r.login === null ? null : accountGen.generate(r.connection_id as number, r.login as string),
    creator_name: r.login,
    component: r.login,
  };
}

/** Tool rows touching every rule: NULL in every column, unicode, empty strings, integers past 2^53, text timestamps. */
function toolRows(): Row[] {
  const states = ['closed', 'open', 'Closed', 'closed ', 'clösed', 'ünïcode ✓', '', null];
  const logins = ['alice', 'Überprüfung 😀 日本語', '', null, 'quote " backslash \\ tab \t'];
  const times: unknown[] = ['2023-01-01T10:20:30.123Z', '2023-06-01T10:00:00Z', new Date('2024-02-29T12:00:00.5Z'), null, new Date('0001-01-01T00:00:00Z')];
  const rows: Row[] = [];
  for (let i = 0; i < 16; i++) {
    rows.push({
      connection_id: 7,
      item_id: i === 3 ? BIG : 1000 + i,
      number: i % 6 === 5 ? null : i === 0 ? 1 : i * 7,
      big: i % 4 === 0 ? BIG : i % 4 === 1 ? -9223372036854775807n : i % 4 === 2 ? null : i,
      title: i % 5 === 4 ? null : i % 5 === 3 ? '' : `tïtle ${i} 😀`,
      body: i % 3 === 0 ? null : `line 1\nline 2 ${'x'.repeat(i * 50)}`,
      state: states[i % states.length],
      login: logins[i % logins.length],
      created: times[i % times.length],
      flag: i % 3 === 0 ? null : i % 3 === 1,
      ratio: i % 4 === 0 ? null : i * 1.5 + 0.1,
      _raw_data_params: PARAMS_JSON,
      _raw_data_table: i === 6 ? null : RAW,
      _raw_data_id: i === 7 ? null : 500 + i,
      _raw_data_remark: i % 2 === 0 ? null : `remark ${i}`,
    });
  }
  // Another scope's row: not converted.
  rows.push({ connection_id: 8, item_id: 1, number: 1, title: 'other', _raw_data_params: OTHER_PARAMS, _raw_data_table: RAW, _raw_data_id: 1, _raw_data_remark: '' });
  return rows;
}

describe.each(databases())('MappedConverter on $name', ({ name, open }) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await open();
    await createTable(db.dal.knex, Tool);
    await createTable(db.dal.knex, Issue);
  });
  afterEach(async () => db.drop());

  const scope = { _raw_data_params: conv.scopeParams() };
  const converter = (columns: ConvertColumns, engine: MappedEngine, signal?: AbortSignal) =>
    new MappedConverter({ ctx: subTaskContext(db.dal, signal).ctx, rawTable: RAW, params: PARAMS, from: Tool, where: scope, to: Issue, columns, engine });
  const written = Object.keys(Issue.spec.columns).filter((c) => c !== 'created_at' && c !== 'updated_at');
  /** The rows as stored (the driver's values, no decoding: text timestamps stay text) and decoded. */
  const stored = async () => (await db.dal.knex(Issue.table).select(written).orderBy('id')) as Row[];
  const decoded = async () => {
    const out: Row[] = [];
    for await (const r of db.dal.stream<Row>((k) => k(Issue.table).select(written), { key: ['id'], columns: Issue.spec.columns })) out.push(r);
    return out;
  };

  it('writes in one SQL statement the rows JavaScript and a hand-written convert() write, for every rule', async () => {
    await db.dal.insert(Tool.table, toolRows());
    expect(await converter(RULES, 'sql').execute()).toEqual({ engine: 'sql', rows: 16 });
    const [sqlStored, sqlDecoded] = [await stored(), await decoded()];
    const stamps = (await db.dal.knex(Issue.table).select('created_at', 'updated_at')) as Row[];
    expect(stamps.every((s) => s.created_at !== null && s.updated_at !== null)).toBe(true);

    expect(await converter(RULES, 'js').execute()).toEqual({ engine: 'js', rows: 16 });
    expect(await stored()).toEqual(sqlStored);
    expect(await decoded()).toEqual(sqlDecoded);

    await new DataConverter({
      ctx: subTaskContext(db.dal).ctx,
      rawTable: RAW,
      params: PARAMS,
      input: (k) => k(Tool.table).where({ _raw_data_params: PARAMS_JSON }),
      inputKey: [...Tool.primaryKey],
      inputColumns: Tool.spec.columns,
      outputs: [Issue],
      convert: (row: Row) => [Issue.row(handWritten(row) as never)],
    }).execute();
    expect(await stored()).toEqual(sqlStored);
    expect(await decoded()).toEqual(sqlDecoded);

    // A few values spelled out, so "identical" is not identically wrong.
    const byId = new Map(sqlDecoded.map((r) => [r.id as string, r]));
    expect(byId.get('demo:DemoItem:7:1000')).toMatchObject({
      url: 'https://example.com/ü/1/9007199254740993',
      issue_key: '1',
      priority: 'BIG',
      status: 'DONE',
      title: 'tïtle 0 😀',
      description: '', // zero value
      type: 'ISSUE',
      original_type: 'org/répo',
      creator_id: 'demo:DemoAccount:7:alice',
      created_date: new Date('2023-01-01T10:20:30.123Z'),
      story_point: null, // a Go pointer in DevLake: no zero value
      is_subtask: false,
      time_spent_minutes: 9007199254740993n,
      _raw_data_params: PARAMS_JSON,
      _raw_data_table: RAW,
      _raw_data_id: 500,
      _raw_data_remark: '',
    });
    expect(byId.get('demo:DemoItem:7:1001')).toMatchObject({ status: 'TODO', priority: 'MIN', url: 'https://example.com/ü/7/-9223372036854775807', creator_id: 'demo:DemoAccount:7:Überprüfung 😀 日本語' });
    expect(byId.get('demo:DemoItem:7:1002')).toMatchObject({ status: 'IN_PROGRESS', original_status: 'Closed', url: '', creator_id: 'demo:DemoAccount:7:' });
    expect(byId.get(`demo:DemoItem:7:${BIG}`)).toMatchObject({ status: 'IN_PROGRESS', original_status: 'closed ', title: '', creator_id: '', component: '', created_date: null }); // a Go pointer: NULL stays NULL
    expect(byId.get('demo:DemoItem:7:1004')).toMatchObject({ title: '', created_date: new Date('0001-01-01T00:00:00Z'), story_point: null });
    expect(byId.get('demo:DemoItem:7:1005')).toMatchObject({ status: 'OTHER', issue_key: '', url: '', lead_time_minutes: null, priority: 'MIN' });
    expect(byId.get('demo:DemoItem:7:1006')).toMatchObject({ status: 'EMPTY', _raw_data_table: RAW, created_date: new Date('2023-06-01T10:00:00Z') });
    expect(byId.get('demo:DemoItem:7:1007')).toMatchObject({ status: 'IN_PROGRESS', original_status: '', _raw_data_id: 0, _raw_data_remark: 'remark 7', priority: '' });
    expect(byId.get('demo:DemoItem:7:1003')).toBeUndefined(); // its item_id is BIG
  });

  it('copies the timestamps SQLite may hold as the JavaScript read and write do', async () => {
    if (name !== 'sqlite') return; // the servers store only valid timestamps
    const forms: unknown[] = [
      '2023-01-01T10:20:30.123Z', '2023-01-01T10:20:30Z', '2023-01-31T10:20:30Z', '2023-02-29T00:00:00Z', '2023-01-01T24:00:00.000Z',
      '2023-12-28T23:59:59.999Z', '2023-06-01 10:00:00', '2023-06-01T10:00:00+05:30', '0999-01-01T00:00:00Z', 1700000000000, null,
    ];
    await db.dal.insert(Tool.table, forms.map((_created, i) => ({ connection_id: 7, item_id: i, _raw_data_params: PARAMS_JSON })));
    for (const [i, created] of forms.entries()) await db.dal.knex(Tool.table).where({ item_id: i }).update({ created }); // stored as given
    const rules = { id: conv.domainId(issueGen, 'connection_id', 'item_id'), created_date: conv.column('created') };
    expect(await converter(rules, 'sql').execute()).toMatchObject({ engine: 'sql' });
    const sqlStored = await stored();
    await converter(rules, 'js').execute();
    expect(await stored()).toEqual(sqlStored);
    const byItem = [...sqlStored].sort((a, b) => Number(String(a.id).split(':')[3]) - Number(String(b.id).split(':')[3]));
    expect(byItem.map((r) => r.created_date)).toEqual([
      '2023-01-01T10:20:30.123Z', '2023-01-01T10:20:30.000Z', '2023-01-31T10:20:30.000Z', '2023-03-01T00:00:00.000Z', '2023-01-02T00:00:00.000Z',
      '2023-12-28T23:59:59.999Z', '2023-06-01T10:00:00.000Z', '2023-06-01T04:30:00.000Z', '0999-01-01T00:00:00.000Z', '2023-11-14T22:13:20.000Z', null,
    ]);
  });

  it('runs in SQL by default, replaces the rows of its origin only, and keeps them on cancel', async () => {
    await db.dal.insert(Tool.table, toolRows().slice(0, 3));
    const origin = { _raw_data_table: RAW, _raw_data_id: 1, _raw_data_remark: '' };
    await db.dal.insert(Issue.table, [
      { id: 'stale', ...origin, _raw_data_params: PARAMS_JSON },
      { id: 'theirs', ...origin, _raw_data_params: OTHER_PARAMS },
    ]);
    const ids = async () => ((await db.dal.knex(Issue.table).select('id').orderBy('id')) as Row[]).map((r) => r.id);
    expect(await converter(RULES, 'auto').execute()).toEqual({ engine: 'sql', rows: 3 });
    expect(await ids()).toEqual(['demo:DemoItem:7:1000', 'demo:DemoItem:7:1001', 'demo:DemoItem:7:1002', 'theirs']);

    await db.dal.knex(Tool.table).where({ item_id: 1001 }).delete();
    const controller = new AbortController();
    controller.abort();
    await expect(converter(RULES, 'auto', controller.signal).execute()).rejects.toMatchObject({ code: 'DEVLAKE_E_CANCELLED' });
    expect(await ids()).toEqual(['demo:DemoItem:7:1000', 'demo:DemoItem:7:1001', 'demo:DemoItem:7:1002', 'theirs']);
    await converter(RULES, 'auto').execute();
    expect(await ids()).toEqual(['demo:DemoItem:7:1000', 'demo:DemoItem:7:1002', 'theirs']);
  });

  it('takes over a key another origin wrote, the last input row of a key winning', async () => {
    await db.dal.insert(Issue.table, [{ id: 'demo:DemoItem:7', title: 'theirs', _raw_data_params: OTHER_PARAMS, _raw_data_table: RAW }]);
    await db.dal.insert(Tool.table, toolRows().slice(0, 2));
    const rules = { id: conv.domainId(new DomainIdGenerator('demo', 'DemoItem'), 'connection_id'), title: conv.column('title') };
    const result = await converter(rules, 'auto').execute();
    // Postgres refuses to update a row twice in one statement: JavaScript writes it.
    expect(result.engine).toBe(name === 'postgres' ? 'js' : 'sql');
    const rows = (await db.dal.knex(Issue.table).select('id', 'title', '_raw_data_params')) as Row[];
    expect(rows).toEqual([{ id: 'demo:DemoItem:7', title: 'tïtle 1 😀', _raw_data_params: PARAMS_JSON }]);
  });

  it('names the input row whose key is empty, whichever engine started', async () => {
    await db.dal.insert(Tool.table, toolRows().slice(0, 3));
    const err = await converter({ id: conv.column('login') }, 'auto').execute().catch((e: unknown) => e);
    expect(hasErrorCode(err, 'DEVLAKE_E_MODEL')).toBe(true);
    expect((err as Error).message).toMatch(/issues.*"id"/);
    expect(Number(((await db.dal.knex(Issue.table).count({ n: '*' })) as Array<{ n: unknown }>)[0]!.n)).toBe(0);
  });
});

describe('MappedConverter declarations', () => {
  const ctx = {} as never;
  const make = (columns: ConvertColumns, where?: never) => () => new MappedConverter({ ctx, rawTable: RAW, params: {}, from: Tool, to: Issue, columns, where });

  it('refuses unknown columns, unmapped keys, kind mismatches and provenance, naming each', () => {
    const err = (() => {
      try {
        make({ title: conv.column('nope'), story_point: conv.column('title'), url: conv.text('created'), is_subtask: conv.concat('x'), _raw_data_id: conv.column('item_id'), nope: conv.constant(1) })();
      } catch (e) {
        return e as Error;
      }
    })();
    expect(hasErrorCode(err, 'DEVLAKE_E_CONVERT')).toBe(true);
    expect(err!.message).toMatch(/"title" reads "nope"/);
    expect(err!.message).toMatch(/"story_point" \(float\) copies "title" \(string\)/);
    expect(err!.message).toMatch(/"url" reads "created" as text, but it is a datetime column/);
    expect(err!.message).toMatch(/"is_subtask" is a bool column/);
    expect(err!.message).toMatch(/"_raw_data_id" is provenance/);
    expect(err!.message).toMatch(/"nope" is not declared in issues/);
    expect(err!.message).toMatch(/primary key column "id" has no rule/);
    expect(make({ id: conv.column('title') }, { state: 'open' } as never)).toThrow(/where "state" needs conv.scopeParams/);
  });

  it('checks the domain id parts against the generator', () => {
    expect(() => conv.domainId(new DomainIdGenerator('demo', 'X', 2), 'connection_id')).toThrow(/needs 2 primary key values/);
  });
});
