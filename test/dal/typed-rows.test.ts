import { col, columnTypes, defineTable, noPkModelColumns, type SelectRowOf } from '../../src/core/table';
import { readRows } from '../../src/dal/decode';
import { createTable } from '../../src/dal/table-ddl';
import { DataConverter } from '../../src/helpers/data-converter';
import { databases, type TestDb } from '../../src/testing/databases';
import { subTaskContext } from '../helpers/subtask-fixture';

/** One column of every kind, nullable and not. */
const Everything = defineTable('_tool_demo_everything', {
  id: col.bigint().primaryKey(),
  name: col.string(40).notNull(),
  body: col.text(),
  small: col.int(),
  big: col.bigint(),
  unsigned: col.uint64(),
  ratio: col.float(),
  flag: col.bool(),
  at: col.datetime(),
  doc: col.json<{ a: number; b: string[] }>(),
  ...noPkModelColumns(),
});
type EverythingRow = SelectRowOf<typeof Everything>;
const Out = defineTable('demo_out', { id: col.string(255).primaryKey(), ...noPkModelColumns() });

const AT = new Date('2024-03-01T10:20:30.456Z');
const FULL = { id: 1, name: 'full', body: 'x\ny', small: -7, big: 2 ** 40, unsigned: 2n ** 63n - 1n, ratio: 0.25, flag: true, at: AT, doc: { a: 1, b: ['z'] } };
const EMPTY = { id: 2, name: 'empty', body: null, small: null, big: null, unsigned: null, ratio: null, flag: null, at: null, doc: null };
const FALSY = { id: 3, name: '', body: '', small: 0, big: 0, unsigned: 0, ratio: 0, flag: false, at: new Date(0), doc: [] };
const PROVENANCE = { _raw_data_params: 'p', _raw_data_table: '_raw_demo', _raw_data_id: 9, _raw_data_remark: '' };

describe.each(databases())('typed rows on $name', ({ open }) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await open();
    await createTable(db.dal.knex, Everything);
    await createTable(db.dal.knex, Out);
    await db.dal.upsert(
      Everything.table,
      [FULL, EMPTY, FALSY].map((r) => ({ ...r, ...PROVENANCE })),
      { primaryKey: Everything.primaryKey },
    );
  });
  afterEach(async () => db.drop());

  const expected = (r: object) => ({ ...r, ...PROVENANCE, created_at: expect.any(Date), updated_at: expect.any(Date) });

  it('stream decodes every declared column kind to the same JS values', async () => {
    const rows: EverythingRow[] = [];
    for await (const row of db.dal.stream<EverythingRow>((k) => k(Everything.table).select('*'), { key: ['id'], columns: Everything.spec.columns })) {
      rows.push(row);
    }
    expect(rows).toStrictEqual([expected(FULL), expected(EMPTY), expected(FALSY)]);
    // The database's own default (CURRENT_TIMESTAMP on SQLite, now() elsewhere) reads back as a recent Date.
    expect(Math.abs(rows[0]!.created_at!.getTime() - Date.now())).toBeLessThan(10 * 60_000);
  });

  it('converter input is the same decoded row', async () => {
    const seen: EverythingRow[] = [];
    const { ctx } = subTaskContext(db.dal);
    await new DataConverter<EverythingRow>({
      ctx,
      rawTable: '_raw_demo',
      params: 'p',
      input: (k) => k(Everything.table).select('*'),
      inputKey: ['id'],
      inputColumns: Everything.spec.columns,
      outputs: [Out],
      convert: (row) => {
        seen.push(row);
        return [Out.row({ id: `demo:${row.id}` })];
      },
    }).execute();
    expect(seen).toStrictEqual([expected(FULL), expected(EMPTY), expected(FALSY)]);
  });

  it('a zone-less timestamp text reads as UTC and a value beyond 2^53 as bigint', async () => {
    await db.dal.knex(Everything.table).insert({ id: 4, name: 'n', big: '9007199254740993' });
    const [row] = await collect(db.dal.stream<EverythingRow>((k) => k(Everything.table).select('id', 'big', 'created_at').where('id', 4), { key: ['id'], columns: Everything.spec.columns }));
    expect(row!.big).toBe(9007199254740993n);
    expect(row!.created_at).toBeInstanceOf(Date);
    expect(Object.keys(row!)).toEqual(['id', 'big', 'created_at']);
  });

  it('readRows decodes a join or a computed column per columnTypes, as a table', async () => {
    const knex = db.dal.knex;
    const query = () =>
      knex(`${Everything.table} as e`)
        .join(`${Everything.table} as f`, 'f.id', 'e.id')
        .select('e.id', 'e.at as seen_at', 'f.flag as other_flag', 'e.ratio')
        .select({ is_full: knex.raw("(CASE WHEN e.name = 'full' THEN 1 ELSE 0 END)") })
        .orderBy('e.id');
    const rows = readRows(db.dal, await query(), columnTypes({ id: 'bigint', seen_at: 'datetime', other_flag: 'bool', ratio: 'float', is_full: 'bool' }));
    expect(rows).toStrictEqual([
      { id: 1, seen_at: AT, other_flag: true, ratio: 0.25, is_full: true },
      { id: 2, seen_at: null, other_flag: null, ratio: null, is_full: false },
      { id: 3, seen_at: new Date(0), other_flag: false, ratio: 0, is_full: false },
    ]);
    const byTable = readRows<EverythingRow>(db.dal, await knex(Everything.table).select('id', 'flag', 'at').orderBy('id'), Everything);
    expect(byTable.map((r) => [r.id, r.flag, r.at])).toStrictEqual([[1, true, AT], [2, null, null], [3, false, new Date(0)]]);
  });
});

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
