import { ensureRawTable } from '../../src/dal/raw-table';
import { ensureStagingTable, publishStaged, RAW_STAGING_TABLE, stageRows, type StagedRow } from '../../src/helpers/raw-staging';
import { databases, type TestDb } from '../../src/testing/databases';

const RAW = '_raw_stage_items';
const PARAMS = '{"ConnectionId":1}';

/** Records whose JSON text a careless round trip would change: escapes, big and tiny floats, nesting, unicode. */
const TRICKY: unknown[] = [
  { id: 1, s: 'x\u0001y\ud800z\u2028"\\/', big: 1e21, max: 1.7976931348623157e308, tiny: 5e-324, third: 0.1 + 0.2 },
  [null, true, {}, [], 'é😀'],
  { id: 3, nested: { a: [1, 2, { b: 'c' }] } },
];

describe.each(databases())('raw staging on $name', ({ open }) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await open();
    await ensureRawTable(db.dal, RAW);
    await ensureStagingTable(db.dal);
  });
  afterEach(async () => db.drop());

  const page = (records: unknown[], url: string): StagedRow => ({
    raw_table: RAW,
    params: PARAMS,
    unit: 0,
    records: records.length,
    data: `[${records.map((r) => JSON.stringify(r)).join(',')}]`,
    url,
    input: null,
    created_at: new Date(),
  });

  it('lets the event loop run while it publishes many staged pages (Ctrl-C and heartbeats get through)', async () => {
    const pages = Array.from({ length: 1000 }, (_, i) => page([{ id: i + 1 }], `p${i}`));
    await stageRows(db.dal, pages);
    let turns = 0;
    let publishing = true;
    const tick = () => {
      if (!publishing) return;
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
    const n = await db.dal.transaction((tx) => publishStaged(tx, RAW, PARAMS, true));
    publishing = false;
    expect(n).toBe(1000);
    // SQLite publishes with synchronous statements: without its own yields this loop saw at most a turn or two.
    expect(turns).toBeGreaterThanOrEqual(4);
  });

  it('publishes staged pages and single records in staging order, each record with its exact JSON text', async () => {
    await stageRows(db.dal, [page(TRICKY.slice(0, 2), 'u1')]);
    await stageRows(db.dal, [{ raw_table: RAW, params: PARAMS, unit: 0, records: null, data: JSON.stringify('a scalar'), url: 'u2', input: null, created_at: new Date() }]);
    await stageRows(db.dal, [page(TRICKY.slice(2), 'u3')]);
    const n = await db.dal.transaction((tx) => publishStaged(tx, RAW, PARAMS, true));
    expect(n).toBe(4);
    const rows = (await db.dal.knex(RAW).select('data', 'url', 'params').orderBy('id')) as Array<{ data: string; url: string; params: string }>;
    expect(rows).toEqual([
      { data: JSON.stringify(TRICKY[0]), url: 'u1', params: PARAMS },
      { data: JSON.stringify(TRICKY[1]), url: 'u1', params: PARAMS },
      { data: '"a scalar"', url: 'u2', params: PARAMS },
      { data: JSON.stringify(TRICKY[2]), url: 'u3', params: PARAMS },
    ]);
    const [{ c }] = (await db.dal.knex(RAW_STAGING_TABLE).count({ c: '*' })) as Array<{ c: number | string }>;
    expect(Number(c)).toBe(0);
  });

  it('publishes nothing and keeps the raw rows of other params when nothing was staged', async () => {
    await db.dal.insert(RAW, [{ params: '{"ConnectionId":2}', data: '{}', url: 'x', input: null, created_at: new Date() }]);
    expect(await db.dal.transaction((tx) => publishStaged(tx, RAW, PARAMS, true))).toBe(0);
    const rows = (await db.dal.knex(RAW).select('params')) as Array<{ params: string }>;
    expect(rows).toEqual([{ params: '{"ConnectionId":2}' }]);
  });
});
