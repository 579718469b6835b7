import { randomUUID } from 'node:crypto';
import { ensureRawTable } from '../../src/dal/raw-table';
import { getCollectorState } from '../../src/helpers/collector-state';
import {
  commitRawPages,
  ensureStagingTable,
  parkPending,
  pendingRawFrom,
  publishStaged,
  RAW_STAGING_TABLE,
  rawCommitsInFlight,
  stageRows,
  unparkStaged,
  writeRawPages,
  type PageWrite,
  type StagedRow,
} from '../../src/helpers/raw-staging';
import { databases, type TestDb } from '../../src/testing/databases';
import { openStagingDb } from './staging-fixture';

const RAW = '_raw_stage_items';
const PARAMS = '{"ConnectionId":1}';
const OTHER = '{"ConnectionId":2}';

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

  const write = (unit: number, records: unknown[], url: string) =>
    db.dal.transaction((tx) =>
      writeRawPages(tx, RAW, [{ unit, url, page: { params: PARAMS, data: `[${records.map((r) => JSON.stringify(r)).join(',')}]`, url, input: null, createdAt: new Date() } }]),
    );
  const rawData = async (): Promise<string[]> => ((await db.dal.knex(RAW).select('data').orderBy('id')) as Array<{ data: string }>).map((r) => r.data);

  it('writes pages into the raw table once, each record with its exact JSON text; readers skip them until a full sync publishes them', async () => {
    await db.dal.insert(RAW, [{ params: PARAMS, data: '{"id":"old"}', url: 'u0', input: null, created_at: new Date() }]);
    const other = '{"ConnectionId":2}';
    await db.dal.insert(RAW, [{ params: other, data: '{"id":"other"}', url: 'u0', input: null, created_at: new Date() }]);
    expect(await pendingRawFrom(db.dal, RAW, PARAMS)).toBeUndefined();
    await write(0, TRICKY, 'u1');
    await write(0, ['a scalar', 12, true, null], 'u2');
    // Readers of the scope take the params' rows below the pending id: only the old row.
    const from = await pendingRawFrom(db.dal, RAW, PARAMS);
    expect(from).toBeDefined();
    expect((await db.dal.knex(RAW).where('params', PARAMS).where('id', '<', from!).select('data')).map((r: { data: string }) => r.data)).toEqual(['{"id":"old"}']);
    expect(await db.dal.knex(RAW_STAGING_TABLE).whereNull('data').count({ n: '*' }).then((r) => Number(r[0].n))).toBe(2); // one ledger row a page
    const n = await db.dal.transaction((tx) => publishStaged(tx, RAW, PARAMS, true));
    expect(n).toBe(7);
    expect(await pendingRawFrom(db.dal, RAW, PARAMS)).toBeUndefined();
    const rows = (await db.dal.knex(RAW).where('params', PARAMS).select('data').orderBy('id')) as Array<{ data: string }>;
    expect(rows.map((r) => JSON.parse(r.data))).toEqual([...TRICKY, 'a scalar', 12, true, null]);
    expect(rows.map((r) => r.data).slice(3)).toEqual(['"a scalar"', '12', 'true', 'null']);
    expect(await db.dal.knex(RAW).where('params', other).count({ n: '*' }).then((r) => Number(r[0].n))).toBe(1); // other params untouched
    expect(await db.dal.knex(RAW_STAGING_TABLE).count({ n: '*' }).then((r) => Number(r[0].n))).toBe(0);
  });

  it('parks the rows of a stopped collection in the staging table and puts them back in order before the resume goes on', async () => {
    await db.dal.insert(RAW, [{ params: PARAMS, data: '{"id":0}', url: 'u0', input: null, created_at: new Date() }]);
    await write(0, [{ id: 1 }, { id: 2 }], 'p1');
    await write(1, [{ id: 10 }], 'q1');
    await write(0, [{ id: 3 }], 'p2');
    const moved = await db.dal.transaction((tx) => parkPending(tx, RAW, PARAMS));
    expect(moved).toBe(4);
    expect(await rawData()).toEqual(['{"id":0}']); // the raw table holds the last complete collection again
    const parked = (await db.dal.knex(RAW_STAGING_TABLE).select('unit', 'data').orderBy('id')) as Array<{ unit: number; data: string }>;
    expect(parked.map((r) => [Number(r.unit), r.data])).toEqual([[0, '{"id":1}'], [0, '{"id":2}'], [1, '{"id":10}'], [0, '{"id":3}']]);
    await db.dal.transaction((tx) => unparkStaged(tx, RAW, PARAMS));
    await write(1, [{ id: 11 }], 'q2');
    const n = await db.dal.transaction((tx) => publishStaged(tx, RAW, PARAMS, true));
    expect(n).toBe(5);
    // Unit by unit, in the order each was first fetched, then the resumed pages.
    expect(await rawData()).toEqual(['{"id":1}', '{"id":2}', '{"id":3}', '{"id":10}', '{"id":11}']);
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

describe.each(databases())('commitRawPages on $name', ({ open }) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await openStagingDb(open, RAW);
  });
  afterEach(async () => db.drop());

  const pageOf = (unit: number, records: unknown[], url: string, params = PARAMS): PageWrite => ({
    unit,
    url,
    page: { params, data: `[${records.map((r) => JSON.stringify(r)).join(',')}]`, url, input: unit === 1 ? '{"n":1}' : null, createdAt: new Date() },
  });

  it('writes the pages in order with a ledger row each and the checkpoint, and a later commit replaces the checkpoint', async () => {
    const pages = Array.from({ length: 20 }, (_, p) => pageOf(p % 3, p === 5 ? [] : [{ p, k: 0 }, { p, k: 1 }], `u/${p}`));
    await commitRawPages(db.dal, RAW, PARAMS, pages.slice(0, 2), { done: [1] });
    await commitRawPages(db.dal, RAW, PARAMS, pages.slice(2), { done: [1, 2] });
    const rows = (await db.dal.knex(RAW).select('id', 'params', 'data', 'url', 'input').orderBy('id')) as Array<{ id: number; params: string; data: string; url: string; input: string | null }>;
    expect(rows.map((r) => JSON.parse(r.data) as { p: number; k: number })).toEqual(pages.flatMap((_, p) => (p === 5 ? [] : [{ p, k: 0 }, { p, k: 1 }])));
    expect(rows.every((r) => r.params === PARAMS && r.url === `u/${(JSON.parse(r.data) as { p: number }).p}`)).toBe(true);
    expect(rows.filter((r) => r.input !== null).map((r) => r.input)).toEqual(rows.filter((r) => (JSON.parse(r.data) as { p: number }).p % 3 === 1).map(() => '{"n":1}'));
    const ledger = (await db.dal.knex(RAW_STAGING_TABLE).select('unit', 'records', 'data', 'input', 'url', 'raw_from_id', 'raw_to_id').orderBy('raw_from_id')) as Array<Record<string, unknown>>;
    expect(ledger).toHaveLength(19); // the empty page has none
    expect(ledger.map((l) => l.url)).toEqual(pages.filter((_, p) => p !== 5).map((p) => p.url));
    for (const l of ledger) {
      const own = rows.filter((r) => r.url === l.url);
      expect([Number(l.unit), Number(l.records), l.data, l.input, Number(l.raw_from_id), Number(l.raw_to_id)]).toEqual([
        Number((l.url as string).slice(2)) % 3,
        2,
        null,
        null,
        Number(own[0]!.id),
        Number(own[1]!.id),
      ]);
    }
    expect(await pendingRawFrom(db.dal, RAW, PARAMS)).toBe(Number(rows[0]!.id));
    expect((await getCollectorState(db.dal, RAW, PARAMS))?.checkpoint).toEqual({ done: [1, 2] });
  });

  it('writes nothing when the checkpoint cannot be saved: raw rows, ledger rows and checkpoint go together', async () => {
    await commitRawPages(db.dal, RAW, PARAMS, [pageOf(0, [{ a: 1 }], 'u/0')], { done: [0] });
    // JSON cannot hold a bigint: the checkpoint fails, after the pages where it is written last.
    await expect(commitRawPages(db.dal, RAW, PARAMS, [pageOf(0, [{ a: 2 }], 'u/1'), pageOf(1, [{ a: 3 }], 'u/2')], { done: [0, 1n] })).rejects.toThrow(/BigInt/);
    expect(await rawData()).toEqual(['{"a":1}']);
    expect(((await db.dal.knex(RAW_STAGING_TABLE).select('url')) as Array<{ url: string }>).map((r) => r.url)).toEqual(['u/0']);
    expect((await getCollectorState(db.dal, RAW, PARAMS))?.checkpoint).toEqual({ done: [0] });
  });

  it('writes nothing of a commit whose later page the database refuses (its statement fails after the first page was written)', async () => {
    await commitRawPages(db.dal, RAW, PARAMS, [pageOf(0, [{ a: 1 }], 'u/0')], { done: [0] });
    const bad: PageWrite = { unit: 1, url: 'u/bad', page: { params: PARAMS, data: '[{"a": 3}, not json', url: 'u/bad', input: null, createdAt: new Date() } };
    // Not rejects.toThrow(): better-sqlite3 keeps the Error class of the first test file that loaded it, so in a
    // later file of the same jest worker its errors are not instances of this file's Error.
    const err = await commitRawPages(db.dal, RAW, PARAMS, [pageOf(0, [{ a: 2 }], 'u/1'), bad], { done: [0, 1] }).then(() => undefined, (e: unknown) => e);
    expect(String((err as { message?: unknown } | undefined)?.message)).toMatch(/json/i);
    expect(await rawData()).toEqual(['{"a":1}']);
    expect(((await db.dal.knex(RAW_STAGING_TABLE).select('url')) as Array<{ url: string }>).map((r) => r.url)).toEqual(['u/0']);
    expect((await getCollectorState(db.dal, RAW, PARAMS))?.checkpoint).toEqual({ done: [0] });
    // The connection is usable afterwards (no transaction left open).
    await commitRawPages(db.dal, RAW, PARAMS, [pageOf(0, [{ a: 4 }], 'u/4')], { done: [0, 1, 2] });
    expect(await rawData()).toEqual(['{"a":1}', '{"a":4}']);
  });

  it('takes commits sent together in call order where it allows several outstanding; a failed one refuses the later ones of its collection', async () => {
    const inFlight = rawCommitsInFlight(db.dal);
    expect(inFlight).toBe(2);
    // No checkpoint row yet: the first commits both find it missing (on MySQL each then inserts it).
    expect(await getCollectorState(db.dal, RAW, PARAMS)).toBeUndefined();
    const chain = randomUUID();
    const sent: Array<Promise<void>> = [];
    for (let i = 0; i < 30; i++) {
      sent.push(commitRawPages(db.dal, RAW, PARAMS, [pageOf(0, [{ i }], `u/${i}`)], { done: i }, chain));
      if (sent.length >= inFlight) await sent.shift();
    }
    await Promise.all(sent);
    expect(await rawData()).toEqual(Array.from({ length: 30 }, (_, i) => `{"i":${i}}`));
    const ledger = (await db.dal.knex(RAW_STAGING_TABLE).select('url').orderBy('raw_from_id')) as Array<{ url: string }>;
    expect(ledger.map((l) => l.url)).toEqual(Array.from({ length: 30 }, (_, i) => `u/${i}`));
    expect((await getCollectorState(db.dal, RAW, PARAMS))?.checkpoint).toEqual({ done: 29 });

    const failing = randomUUID();
    const bad: PageWrite = { unit: 0, url: 'u/bad', page: { params: PARAMS, data: '[{"a": 3}, not json', url: 'u/bad', input: null, createdAt: new Date() } };
    const outcomes = await Promise.allSettled([
      commitRawPages(db.dal, RAW, PARAMS, [pageOf(0, [{ a: 1 }], 'u/a1')], { done: 'a1' }, failing),
      commitRawPages(db.dal, RAW, PARAMS, [bad], { done: 'bad' }, failing),
      commitRawPages(db.dal, RAW, PARAMS, [pageOf(0, [{ a: 4 }], 'u/a4')], { done: 'a4' }, failing),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect(String((outcomes[2] as PromiseRejectedResult).reason)).toMatch(/an earlier commit of this collection failed/);
    expect((await rawData()).slice(30)).toEqual(['{"a":1}']);
    expect((await getCollectorState(db.dal, RAW, PARAMS))?.checkpoint).toEqual({ done: 'a1' });
    // Another run of the same scope (a resume) goes on.
    await commitRawPages(db.dal, RAW, PARAMS, [pageOf(0, [{ a: 5 }], 'u/a5')], { done: 'a5' }, randomUUID());
    expect((await rawData()).slice(30)).toEqual(['{"a":1}', '{"a":5}']);
  });

  it('refuses the commits sent behind one of many pages (a padded statement on Postgres) that fails on its last page', async () => {
    const chain = randomUUID();
    const many = Array.from({ length: 20 }, (_, p) => pageOf(0, [{ p }], `u/${p}`));
    const bad: PageWrite = { unit: 0, url: 'u/bad', page: { params: PARAMS, data: '[{"a": 3}, not json', url: 'u/bad', input: null, createdAt: new Date() } };
    const outcomes = await Promise.allSettled([
      commitRawPages(db.dal, RAW, PARAMS, [pageOf(0, [{ a: 1 }], 'u/a1')], { done: 'a1' }, chain),
      commitRawPages(db.dal, RAW, PARAMS, [...many, bad], { done: 'many' }, chain),
      commitRawPages(db.dal, RAW, PARAMS, [pageOf(0, [{ a: 4 }], 'u/a4')], { done: 'a4' }, chain),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect(await rawData()).toEqual(['{"a":1}']);
    expect(((await db.dal.knex(RAW_STAGING_TABLE).select('url')) as Array<{ url: string }>).map((r) => r.url)).toEqual(['u/a1']);
    expect((await getCollectorState(db.dal, RAW, PARAMS))?.checkpoint).toEqual({ done: 'a1' });
    // Later commits of that collection are refused too; the connections are usable by another.
    await expect(commitRawPages(db.dal, RAW, PARAMS, [pageOf(0, [{ a: 6 }], 'u/a6')], { done: 'a6' }, chain)).rejects.toThrow(/an earlier commit of this collection failed/);
    await commitRawPages(db.dal, RAW, PARAMS, [pageOf(0, [{ a: 5 }], 'u/a5')], { done: 'a5' }, randomUUID());
    expect(await rawData()).toEqual(['{"a":1}', '{"a":5}']);
    expect(await db.dal.knex.raw('select 1')).toBeDefined();
  });

  it('keeps writing the commits of another collection sent alongside a failing one', async () => {
    const failing = randomUUID();
    const other = randomUUID();
    const bad: PageWrite = { unit: 0, url: 'u/bad', page: { params: PARAMS, data: '[{"a": 3}, not json', url: 'u/bad', input: null, createdAt: new Date() } };
    const outcomes = await Promise.allSettled([
      commitRawPages(db.dal, RAW, PARAMS, [pageOf(0, [{ x: 1 }], 'u/x1')], { done: 'x1' }, failing),
      commitRawPages(db.dal, RAW, OTHER, [pageOf(0, [{ y: 1 }], 'u/y1', OTHER)], { done: 'y1' }, other),
      commitRawPages(db.dal, RAW, PARAMS, [bad], { done: 'bad' }, failing),
      commitRawPages(db.dal, RAW, OTHER, [pageOf(0, [{ y: 2 }], 'u/y2', OTHER)], { done: 'y2' }, other),
      commitRawPages(db.dal, RAW, PARAMS, [pageOf(0, [{ x: 4 }], 'u/x4')], { done: 'x4' }, failing),
      commitRawPages(db.dal, RAW, OTHER, [pageOf(0, [{ y: 3 }], 'u/y3', OTHER)], { done: 'y3' }, other),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
    // Each collection's rows in its own order (two collections may interleave).
    const dataOf = async (params: string) => ((await db.dal.knex(RAW).where({ params }).select('data').orderBy('id')) as Array<{ data: string }>).map((r) => r.data);
    expect(await dataOf(PARAMS)).toEqual(['{"x":1}']);
    expect(await dataOf(OTHER)).toEqual(['{"y":1}', '{"y":2}', '{"y":3}']);
    expect((await getCollectorState(db.dal, RAW, PARAMS))?.checkpoint).toEqual({ done: 'x1' });
    expect((await getCollectorState(db.dal, RAW, OTHER))?.checkpoint).toEqual({ done: 'y3' });
  });

  const rawData = async (): Promise<string[]> => ((await db.dal.knex(RAW).select('data').orderBy('id')) as Array<{ data: string }>).map((r) => r.data);
});
