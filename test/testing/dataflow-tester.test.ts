import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hasErrorCode } from '../../src/core/errors';
import { databases, type TestDb } from '../../src/testing/databases';
import { DataFlowTester } from '../../src/testing/dataflow-tester';
import { demoPlugin, ExtractItemsMeta, type DemoData } from './demo-plugin';

const FIXTURES = path.join(__dirname, 'fixtures');
const RAW_CSV = path.join(FIXTURES, '_raw_demo_api_items.csv');
const SNAPSHOT = path.join(FIXTURES, '_tool_demo_items.csv');
const COLUMNS = ['connection_id', 'item_id', 'title', 'closed', 'created_date', 'labels', '_raw_data_table', '_raw_data_id'];

describe.each(databases())('DataFlowTester on $name', ({ open }) => {
  let db: TestDb;
  let tester: DataFlowTester;
  let tmp: string;
  let data: DemoData;
  beforeEach(async () => {
    db = await open();
    tester = new DataFlowTester({ dal: db.dal, plugin: demoPlugin });
    await tester.migrate();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dft-'));
    data = await tester.prepareTaskData<DemoData>({ connectionId: 1, name: 'org/repo' });
  });
  afterEach(async () => {
    delete process.env.UPDATE_SNAPSHOTS;
    fs.rmSync(tmp, { recursive: true, force: true });
    await db.drop();
  });

  const run = async () => {
    expect(await tester.importCsvIntoRawTable(RAW_CSV, '_raw_demo_api_items')).toBe(3);
    await tester.flushTable('_tool_demo_items');
    return tester.runSubtask(ExtractItemsMeta, data);
  };

  it('imports a raw CSV, runs a subtask and verifies the table against its snapshot', async () => {
    const progress = await run();
    expect(progress.rowsWritten.get('_tool_demo_items')).toBe(2);
    await tester.verifyTable('_tool_demo_items', SNAPSHOT, { columns: COLUMNS, jsonColumns: ['labels'] });
    // The default columns are the snapshot header, the default key the table's primary key.
    await tester.verifyTable('_tool_demo_items', SNAPSHOT, { jsonColumns: ['labels'] });
    const raw = await db.dal.knex('_raw_demo_api_items').orderBy('id');
    expect(raw[0].params).toBe('{"ConnectionId":1,"Name":"org/repo"}');
    expect(raw[2].created_at).toBeNull();
  });

  it('prints missing, extra and changed rows with the differing columns on a mismatch', async () => {
    await run();
    const wrong = path.join(tmp, 'wrong.csv');
    fs.writeFileSync(
      wrong,
      'connection_id,item_id,title,closed\n1,10,"Hello, World",0\n1,99,ghost,0\n',
    );
    const err = await tester.verifyTable('_tool_demo_items', wrong).catch((e: unknown) => e);
    expect(hasErrorCode(err, 'DEVLAKE_E_SNAPSHOT_MISMATCH')).toBe(true);
    const message = (err as Error).message;
    expect(message).toBe(
      [
        `Table _tool_demo_items differs from snapshot ${wrong}: 2 table rows, 2 snapshot rows`,
        'missing rows (in snapshot, not in table) (1):',
        '  - 1-99',
        'extra rows (in table, not in snapshot) (1):',
        '  + 1-11',
        'changed rows (1):',
        '  ~ 1-10',
        '      title: expected "Hello, World", actual "Hello, world"',
        '      closed: expected "0", actual "1"',
      ].join('\n'),
    );
  });

  it('treats JSON columns as text unless listed, and fails on a duplicate snapshot key', async () => {
    await run();
    const err = await tester.verifyTable('_tool_demo_items', SNAPSHOT).catch((e: unknown) => e);
    expect(hasErrorCode(err, 'DEVLAKE_E_SNAPSHOT_MISMATCH')).toBe(true);
    expect((err as Error).message).toContain('labels: expected "{\\"a\\": [1, 2], \\"b\\": 1}"');
    const dup = path.join(tmp, 'dup.csv');
    fs.writeFileSync(dup, 'connection_id,item_id\n1,10\n1,10\n');
    const err2 = await tester.verifyTable('_tool_demo_items', dup, { columns: ['item_id'] }).catch((e: unknown) => e);
    expect((err2 as Error).message).toContain('! 1-10 (in snapshot)');
  });

  it('fails on a missing snapshot unless UPDATE_SNAPSHOTS=1, which writes it', async () => {
    await run();
    const file = path.join(tmp, 'snap', 'new.csv');
    const err = await tester.verifyTable('_tool_demo_items', file, { columns: COLUMNS }).catch((e: unknown) => e);
    expect(hasErrorCode(err, 'DEVLAKE_E_SNAPSHOT_MISSING')).toBe(true);
    expect(fs.existsSync(file)).toBe(false);
    process.env.UPDATE_SNAPSHOTS = '1';
    await tester.verifyTable('_tool_demo_items', file, { columns: COLUMNS });
    delete process.env.UPDATE_SNAPSHOTS;
    const written = fs.readFileSync(file, 'utf8');
    expect(written.split('\n')[0]).toBe(COLUMNS.join(','));
    expect(written).toContain('1,10,"Hello, world",1,2022-06-13T15:35:54.000+00:00,');
    expect(written).toContain('1,11,"line one\nline two",0,,,_raw_demo_api_items,2');
    await tester.verifyTable('_tool_demo_items', file, { columns: COLUMNS, jsonColumns: ['labels'] });
  });

  it('imports a tool CSV with empty fields as NULL, and flushes tables', async () => {
    expect(await tester.importCsvIntoTable(SNAPSHOT, '_tool_demo_items')).toBe(2);
    const rows = await db.dal.knex('_tool_demo_items').orderBy('item_id');
    expect(rows[1].created_date).toBeNull();
    expect(rows[1].labels).toBeNull();
    expect([true, 1]).toContain(rows[0].closed);
    await tester.verifyTable('_tool_demo_items', SNAPSHOT, { columns: COLUMNS, jsonColumns: ['labels'] });
    await tester.flushTable('_tool_demo_items');
    expect(await db.dal.knex('_tool_demo_items')).toHaveLength(0);
    const bad = path.join(tmp, 'bad.csv');
    fs.writeFileSync(bad, 'connection_id,item_id,nope\n1,2,3\n');
    const err = await tester.importCsvIntoTable(bad, '_tool_demo_items').catch((e: unknown) => e);
    expect(hasErrorCode(err, 'DEVLAKE_E_CSV')).toBe(true);
    expect((err as Error).message).toContain('nope');
    const err2 = await tester.importCsvIntoTable(SNAPSHOT, '_tool_missing').catch((e: unknown) => e);
    expect((err2 as { hint?: string }).hint).toMatch(/migrate/);
  });

  it("tells NULL from '' when asked (nullMeansEmpty: false), and imports DevLake's nullable CSVs", async () => {
    const csv = path.join(tmp, 'items.csv');
    fs.writeFileSync(csv, 'connection_id,item_id,title\n1,1,\n1,2,NULL\n');
    expect(await tester.importNullableCsvIntoTable(csv, '_tool_demo_items')).toBe(2);
    const rows = await db.dal.knex('_tool_demo_items').orderBy('item_id');
    expect(rows.map((r: { title: string | null }) => r.title)).toEqual(['', null]);
    const bothEmpty = path.join(tmp, 'snap.csv');
    fs.writeFileSync(bothEmpty, 'connection_id,item_id,title\n1,1,\n1,2,\n');
    // DevLake's comparison: NULL reads as ''.
    await tester.verifyTable('_tool_demo_items', bothEmpty);
    const strict = new DataFlowTester({ dal: db.dal, plugin: demoPlugin, nullMeansEmpty: false });
    const err = await strict.verifyTable('_tool_demo_items', bothEmpty).catch((e: unknown) => e);
    expect(hasErrorCode(err, 'DEVLAKE_E_SNAPSHOT_MISMATCH')).toBe(true);
    expect((err as Error).message).toContain('NULL');
    const exact = path.join(tmp, 'exact.csv');
    fs.writeFileSync(exact, 'connection_id,item_id,title\n1,1,\n1,2,NULL\n');
    await strict.verifyTable('_tool_demo_items', exact);
    await tester.verifyTable('_tool_demo_items', exact, { nullMeansEmpty: false });
    expect(await tester.verifyTable('_tool_demo_items', exact).catch((e: unknown) => e)).toBeInstanceOf(Error);
  });

  it('exports a raw table as a CSV that imports back identically', async () => {
    await tester.importCsvIntoRawTable(RAW_CSV, '_raw_demo_api_items');
    const out = path.join(tmp, 'raw.csv');
    expect(await tester.exportRawTable('_raw_demo_api_items', out)).toBe(3);
    await tester.importCsvIntoRawTable(out, '_raw_demo_copy');
    const a = await db.dal.knex('_raw_demo_api_items').orderBy('id');
    const b = await db.dal.knex('_raw_demo_copy').orderBy('id');
    expect(b).toEqual(a);
    const ids = path.join(tmp, 'ids.csv');
    expect(await tester.createSnapshot('_raw_demo_copy', ids, ['id', 'url'])).toBe(3);
    expect(fs.readFileSync(ids, 'utf8')).toBe('id,url\n1,https://x/10\n2,https://x/11\n3,https://x/12\n');
    // The Postgres sequence follows imported ids, so a collector can append.
    await db.dal.insert('_raw_demo_copy', [{ params: '{}', data: '{}', url: 'u' }]);
    expect(Number((await db.dal.knex('_raw_demo_copy').max({ m: 'id' }))[0].m)).toBe(4);
    // Integer keys sort numerically, as DevLake's snapshots (ORDER BY the key) do.
    await db.dal.knex('_raw_demo_copy').insert([{ id: 10, params: '{}', data: '{}', url: 'u10' }]);
    await tester.createSnapshot('_raw_demo_copy', ids, ['id']);
    expect(fs.readFileSync(ids, 'utf8')).toBe('id\n1\n2\n3\n4\n10\n');
  });
});
