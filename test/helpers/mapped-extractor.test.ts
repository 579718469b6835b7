import { hasErrorCode } from '../../src/core/errors';
import { pick, type MappingColumns } from '../../src/core/extract-mapping';
import { col, defineTable, rawDataOriginColumns, type TableDef } from '../../src/core/table';
import { ensureRawTable } from '../../src/dal/raw-table';
import { createTable } from '../../src/dal/table-ddl';
import { MappedExtractor, type MappedEngine } from '../../src/helpers/mapped-extractor';
import { databases, type TestDb } from '../../src/testing/databases';
import { subTaskContext } from './subtask-fixture';

const RAW = '_raw_demo_mapped';
const PARAMS = { ConnectionId: 7, Name: 'org/répo' };
const PARAMS_JSON = JSON.stringify(PARAMS);

const columns = {
  connection_id: col.bigint().primaryKey(),
  item_id: col.bigint().primaryKey(),
  title: col.text(),
  title_or_empty: col.string(100),
  login: col.string(100),
  second_label: col.string(100),
  count_int: col.int(),
  big: col.bigint(),
  big_as_is: col.bigint(),
  ratio: col.float(),
  flag: col.bool(),
  flag_as_is: col.bool(),
  created: col.datetime(),
  repo: col.string(100),
  raw_steps: col.text(),
  ...rawDataOriginColumns(),
};
const table = (name: string) => defineTable(name, columns);
const SqlTable = table('_tool_demo_mapped_sql');
const JsTable = table('_tool_demo_mapped_js');

/** Every rule the three databases compile. */
const RULES: MappingColumns = {
  connection_id: pick.param('ConnectionId'),
  item_id: pick.bigint('id'),
  title: pick.asIs('title'),
  title_or_empty: pick.asIs('missing', { nullAs: '' }),
  login: pick.asIs('user.login'),
  second_label: pick.asIs('labels[1].name'),
  count_int: pick.int('count', { nullAs: 0 }),
  big: pick.bigint('big'),
  big_as_is: pick.asIs('big_int'),
  ratio: pick.float('ratio'),
  flag: pick.bool('flag'),
  flag_as_is: pick.asIs('flag_bool'),
  repo: pick.param('Name'),
};
/** `time` in SQL: SQLite and Postgres (MySQL runs it in JavaScript). */
const TIME_RULES: MappingColumns = { ...RULES, created: pick.time('created_at') };

const TIMES: unknown[] = [
  '2023-01-01T00:00:00Z',
  '2023-01-01T10:20:30.123Z',
  '2023-06-01T10:00:00+05:30',
  '2023-06-01T10:00:00-0800',
  '2023-06-01T10:00:00+05',
  '2023-06-01 10:00:00',
  '2023-06-01T10:00',
  '2023-06-01',
  '2023-01-01T00:00:00.123456Z',
  '2023-01-01T00:00:00.1239999999Z',
  '2024-02-29T12:00:00Z',
  '0001-01-01T00:00:00Z',
  // not timestamps: NULL on every path
  '2023-02-29T00:00:00Z',
  '2023-02-30T00:00:00Z',
  '2023-04-31T00:00:00Z',
  '2023-13-01T00:00:00Z',
  '2023-01-01T24:00:00Z',
  '2023-01-01T00:00:60Z',
  '2023-01-01T00:00:00+25:00',
  'not a date',
  'now',
  '',
  12345,
  true,
  null,
  { at: '2023-01-01' },
];

/** Records touching every rule: nulls, absent fields, wrong JSON types, unicode, integers past 2^53. */
function records(): string[] {
  const titles = ['Überprüfung 😀 日本語', 'quote " backslash \\ tab \t', '', null, 42, 'plain'];
  const bigs = ['9007199254740993', '-9223372036854775807', '12.7', '-12.7', '"12"', 'null', '1e3', '18014398509481985'];
  const out: string[] = [];
  for (let i = 0; i < TIMES.length; i++) {
    const parts = [
      `"id": ${1000 + i}`,
      i % 5 === 0 ? '' : `"title": ${JSON.stringify(titles[i % titles.length])}`,
      `"user": ${i % 4 === 0 ? 'null' : `{"login": "user\\u00e9${i}", "id": ${i}}`}`,
      `"labels": [{"name": "a${i}"}${i % 3 === 0 ? '' : `, {"name": "b\\ud83d\\ude00${i}"}`}]`,
      i % 6 === 0 ? '' : `"count": ${i % 7 === 0 ? '"7"' : i % 2 === 0 ? i + 0.9 : i}`,
      `"big": ${bigs[i % bigs.length]}`,
      `"big_int": ${i % 2 === 0 ? '9007199254740993' : String(-i)}`,
      `"ratio": ${i % 3 === 0 ? '0.1' : i % 3 === 1 ? '"0.5"' : String(i * 1.5)}`,
      `"flag": ${['true', 'false', '"true"', '1', 'null'][i % 5]}`,
      `"flag_bool": ${['true', 'false', 'null'][i % 3]}`,
      `"created_at": ${JSON.stringify(TIMES[i])}`,
      `"steps": [ {"n": 1},  "x" ]`,
    ].filter(Boolean);
    out.push(`{${parts.join(', ')}}`);
  }
  return out;
}

describe.each(databases())('MappedExtractor on $name', ({ name, open }) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await open();
    await ensureRawTable(db.dal, RAW);
    await createTable(db.dal.knex, SqlTable);
    await createTable(db.dal.knex, JsTable);
  });
  afterEach(async () => db.drop());

  const insertRaw = (data: string[], params = PARAMS_JSON) => db.dal.insert(RAW, data.map((d, i) => ({ params, data: d, url: `https://x/${i}`, input: null })));
  const run = (target: TableDef<any>, rules: MappingColumns, engine: MappedEngine, signal?: AbortSignal) =>
    new MappedExtractor({ ctx: subTaskContext(db.dal, signal).ctx, rawTable: RAW, params: PARAMS, table: target, columns: rules, engine }).execute();
  const quote = (n: string) => (name === 'mysql' ? `\`${n}\`` : `"${n}"`);
  /** Rows of one table missing from the other, compared by the database itself (types and bytes). */
  const differing = async (a: string, b: string): Promise<number> => {
    const cols = Object.keys(columns).map(quote).join(', ');
    const res = await db.dal.knex.raw(`SELECT count(*) AS n FROM (SELECT ${cols} FROM ${quote(a)} EXCEPT SELECT ${cols} FROM ${quote(b)}) d`);
    const rows = (Array.isArray(res) ? (Array.isArray(res[0]) ? res[0] : res) : res.rows) as Array<{ n: unknown }>;
    return Number(rows[0]!.n);
  };
  const decoded = async (t: TableDef<any>) => {
    const out: unknown[] = [];
    for await (const r of db.dal.stream((k) => k(t.table).select(Object.keys(columns)), { key: ['connection_id', 'item_id'], columns: t.spec.columns })) out.push(r);
    return out;
  };

  it('writes the same rows in one SQL statement as in JavaScript, for every rule', async () => {
    await insertRaw(records());
    const rules = name === 'mysql' ? RULES : TIME_RULES;
    expect(await run(SqlTable, rules, 'sql')).toEqual({ engine: 'sql', rows: TIMES.length });
    expect(await run(JsTable, rules, 'js')).toEqual({ engine: 'js', rows: TIMES.length });
    expect(await differing(SqlTable.table, JsTable.table)).toBe(0);
    expect(await differing(JsTable.table, SqlTable.table)).toBe(0);
    const [sqlRows, jsRows] = [await decoded(SqlTable), await decoded(JsTable)];
    expect(sqlRows).toEqual(jsRows);
    // A few values spelled out, so "identical" is not identically wrong.
    const byId = new Map((jsRows as Array<Record<string, unknown>>).map((r) => [Number(r.item_id), r]));
    expect(byId.get(1000)).toMatchObject({ connection_id: 7, repo: 'org/répo', title: null, title_or_empty: '', login: null, big: 9007199254740993n, big_as_is: 9007199254740993n, ratio: 0.1, flag: true, flag_as_is: true, count_int: 0 });
    expect(byId.get(1001)).toMatchObject({ title: 'quote " backslash \\ tab \t', login: 'useré1', second_label: 'b😀1', big: -9223372036854775807n, count_int: 1, ratio: null, flag: false, flag_as_is: false });
    expect(byId.get(1002)).toMatchObject({ big: 12, count_int: 2, flag: null, flag_as_is: null });
    expect(byId.get(1003)).toMatchObject({ big: -12, flag: null, second_label: null });
    expect(byId.get(1004)).toMatchObject({ big: null, title_or_empty: '' });
    if (name !== 'mysql') {
      const times = (sqlRows as Array<{ created: Date | null }>).map((r) => r.created?.toISOString() ?? null);
      expect(times).toEqual([
        '2023-01-01T00:00:00.000Z',
        '2023-01-01T10:20:30.123Z',
        '2023-06-01T04:30:00.000Z',
        '2023-06-01T18:00:00.000Z',
        '2023-06-01T05:00:00.000Z',
        '2023-06-01T10:00:00.000Z',
        '2023-06-01T10:00:00.000Z',
        '2023-06-01T00:00:00.000Z',
        '2023-01-01T00:00:00.123Z',
        '2023-01-01T00:00:00.123Z',
        '2024-02-29T12:00:00.000Z',
        '0001-01-01T00:00:00.000Z',
        ...new Array(TIMES.length - 12).fill(null),
      ]);
    }
  });

  it('writes the same timestamps in SQL as in JavaScript for the UTC forms APIs send', async () => {
    const times = ['2023-01-01T00:00:00Z', '2023-01-01T10:20:30.123Z', null, '2024-02-29T23:59:59.999Z', '0999-12-31T00:00:00Z'];
    await insertRaw(times.map((t, i) => JSON.stringify({ id: i, created_at: t })));
    const rules: MappingColumns = { connection_id: pick.constant(1), item_id: pick.int('id'), created: pick.time('created_at') };
    expect(await run(SqlTable, rules, 'sql')).toMatchObject({ engine: 'sql' });
    expect(await run(JsTable, rules, 'js')).toMatchObject({ engine: 'js' });
    expect(await decoded(SqlTable)).toEqual(await decoded(JsTable));
    expect(await differing(SqlTable.table, JsTable.table)).toBe(0);
    // Other forms on MySQL: the statement refuses them and JavaScript writes the rows.
    await insertRaw([JSON.stringify({ id: 9, created_at: '2023-06-01T10:00:00+05:30' })]);
    const mixed = await run(SqlTable, rules, 'auto');
    expect(mixed.engine).toBe(name === 'mysql' ? 'js' : 'sql');
    const rows = (await decoded(SqlTable)) as Array<{ item_id: number; created: Date | null }>;
    expect(rows.find((r) => r.item_id === 9)?.created).toEqual(new Date('2023-06-01T04:30:00Z'));
  });

  it('runs what the database cannot evaluate exactly in JavaScript, with the same rows', async () => {
    await insertRaw(records());
    const rules = { ...TIME_RULES, raw_steps: pick.json('steps') };
    const result = await run(SqlTable, rules, 'auto');
    expect(result).toMatchObject({ engine: 'js', rows: TIMES.length });
    expect(result.reason).toMatch(name === 'mysql' ? /json|statement failed/ : /json/);
    const rows = (await decoded(SqlTable)) as Array<{ raw_steps: string }>;
    expect(rows[0]!.raw_steps).toBe('[ {"n": 1},  "x" ]'); // the record's own bytes
    await expect(run(JsTable, rules, 'sql')).rejects.toMatchObject({ code: 'DEVLAKE_E_EXTRACT' });
  });

  it('replaces the rows of its params only, the last raw row of a key winning, and keeps them on cancel', async () => {
    await insertRaw(['{"id": 1, "title": "first"}', '{"id": 2, "title": "two"}', '{"id": 1, "title": "second"}']);
    await insertRaw(['{"id": 1, "title": "other scope"}'], JSON.stringify({ ConnectionId: 8, Name: 'x' }));
    const rules: MappingColumns = { connection_id: pick.param('ConnectionId'), item_id: pick.int('id'), title: pick.asIs('title') };
    const other = new MappedExtractor({
      ctx: subTaskContext(db.dal).ctx,
      rawTable: RAW,
      params: { ConnectionId: 8, Name: 'x' },
      table: SqlTable,
      columns: rules,
    });
    await other.execute();
    const first = await run(SqlTable, rules, 'auto');
    // Postgres refuses to update a row twice in one statement: JavaScript writes it, the last row winning.
    expect(first.engine).toBe(name === 'postgres' ? 'js' : 'sql');
    const titles = async () => (await db.dal.knex(SqlTable.table).orderBy(['connection_id', 'item_id'])).map((r) => `${Number(r.connection_id)}/${Number(r.item_id)}:${r.title}`);
    expect(await titles()).toEqual(['7/1:second', '7/2:two', '8/1:other scope']);

    await db.dal.knex(RAW).where('data', '{"id": 2, "title": "two"}').delete();
    const controller = new AbortController();
    controller.abort();
    await expect(run(SqlTable, rules, 'auto', controller.signal)).rejects.toMatchObject({ code: 'DEVLAKE_E_CANCELLED' });
    expect(await titles()).toEqual(['7/1:second', '7/2:two', '8/1:other scope']);
    await run(SqlTable, rules, 'auto');
    expect(await titles()).toEqual(['7/1:second', '8/1:other scope']);
  });

  it('takes over a key another origin wrote, in SQL', async () => {
    const other = JSON.stringify({ ConnectionId: 8, Name: 'x' });
    await insertRaw(['{"id": 1, "title": "theirs"}'], other);
    await insertRaw(['{"id": 1, "title": "ours"}', '{"id": 2, "title": "two"}']);
    const rules: MappingColumns = { connection_id: pick.constant(1), item_id: pick.int('id'), title: pick.asIs('title') };
    const ctx = subTaskContext(db.dal).ctx;
    await new MappedExtractor({ ctx, rawTable: RAW, params: other, table: SqlTable, columns: rules, engine: 'sql' }).execute();
    expect(await run(SqlTable, rules, 'sql')).toEqual({ engine: 'sql', rows: 2 });
    const rows = await db.dal.knex(SqlTable.table).orderBy('item_id').select('item_id', 'title', '_raw_data_params');
    expect(rows.map((r) => [Number(r.item_id), r.title, r._raw_data_params])).toEqual([
      [1, 'ours', PARAMS_JSON],
      [2, 'two', PARAMS_JSON],
    ]);
  });

  it('runs perRecord code after the rules: more columns, rows for alsoWrites tables, skipped records', async () => {
    const Labels = defineTable('_tool_demo_mapped_labels', { item_id: col.bigint().primaryKey(), label: col.string(100).primaryKey(), ...rawDataOriginColumns() });
    await createTable(db.dal.knex, Labels);
    await db.dal.insert(Labels.table, [{ item_id: 99, label: 'stale', _raw_data_params: PARAMS_JSON, _raw_data_table: RAW, _raw_data_id: 1, _raw_data_remark: '' }]);
    await insertRaw(['{"id": 1, "title": "a", "labels": [{"name": "x"}, {"name": "y"}]}', '{"id": 2, "title": "skip me"}', '{"id": 3, "title": "c", "labels": []}']);
    await db.dal.knex(RAW).where('data', 'like', '%"id": 3%').update({ input: '{"Parent": 30}' });
    const seen: unknown[] = [];
    const result = await new MappedExtractor({
      ctx: subTaskContext(db.dal, undefined, { prefix: 'P-' }).ctx,
      rawTable: RAW,
      params: PARAMS,
      table: SqlTable,
      columns: { connection_id: pick.param('ConnectionId'), item_id: pick.int('id'), title: pick.asIs('title') },
      alsoWrites: [Labels],
      perRecord: async (data: { prefix: string }, dal) => {
        const before = Number(((await dal.knex(Labels.table).count({ n: '*' })) as Array<{ n: unknown }>)[0]!.n); // once per run, with the db
        return (row, record, raw) => {
          seen.push(raw.inputJson);
          if (row.title === 'skip me') return false;
          row.login = `${data.prefix}${row.title}/${before}`;
          return (record.labels as Array<{ name: string }>).map((l) => Labels.row({ item_id: row.item_id as number, label: l.name }));
        };
      },
    }).execute();
    expect(result).toEqual({ engine: 'js', reason: 'perRecord code runs in JavaScript', rows: 2 });
    expect(seen).toEqual([null, null, { Parent: 30 }]);
    const rows = await db.dal.knex(SqlTable.table).orderBy('item_id').select('item_id', 'title', 'login');
    expect(rows.map((r) => [Number(r.item_id), r.title, r.login])).toEqual([
      [1, 'a', 'P-a/1'],
      [3, 'c', 'P-c/1'],
    ]);
    // The stale label of the same origin is replaced with the table's rows.
    const labels = await db.dal.knex(Labels.table).orderBy(['item_id', 'label']).select('item_id', 'label');
    expect(labels.map((r) => `${Number(r.item_id)}:${r.label}`)).toEqual(['1:x', '1:y']);
    await expect(
      new MappedExtractor({ ctx: subTaskContext(db.dal).ctx, rawTable: RAW, params: PARAMS, table: SqlTable, columns: { connection_id: pick.constant(1), item_id: pick.int('id') }, engine: 'sql', perRecord: () => () => undefined }).execute(),
    ).rejects.toMatchObject({ code: 'DEVLAKE_E_EXTRACT' });
  });

  it('names the raw row whose key is missing, whichever engine started', async () => {
    await insertRaw(['{"id": 1}', '{"title": "no id"}']);
    const err = await run(SqlTable, { connection_id: pick.constant(1), item_id: pick.int('id') }, 'auto').catch((e: unknown) => e);
    expect(hasErrorCode(err, 'DEVLAKE_E_MODEL')).toBe(true);
    expect((err as Error).message).toMatch(/item_id.*raw row 2/);
    expect(Number(((await db.dal.knex(SqlTable.table).count({ n: '*' })) as Array<{ n: unknown }>)[0]!.n)).toBe(0);
  });
});

describe('MappedExtractor declarations', () => {
  it('refuses unknown columns, unmapped keys and bad paths before running', () => {
    const ctx = {} as never;
    expect(() => new MappedExtractor({ ctx, rawTable: RAW, params: {}, table: SqlTable, columns: { item_id: pick.int('id'), nope: pick.asIs('x') } })).toThrow(
      /column "nope" is not declared.*primary key column "connection_id" has no rule/,
    );
    expect(() => pick.asIs('a..b')).toThrow(/Bad JSON path/);
    expect(() => pick.asIs("a'b")).toThrow(/Bad JSON path/);
    expect(pick.asIs('labels[0].name').steps).toEqual(['labels', 0, 'name']);
  });
});
