import { MAX_PAGES_PER_COMMIT, PAGES_PER_STATEMENT } from '../../../src/dal/postgres/raw-pages';
import { getCollectorState } from '../../../src/helpers/collector-state';
import { commitRawPages, RAW_STAGING_TABLE, type PageWrite } from '../../../src/helpers/raw-staging';
import { databases, type TestDb } from '../../../src/testing/databases';
import { openStagingDb } from '../../helpers/staging-fixture';

const RAW = '_raw_pg_pages';
const PARAMS = '{"ConnectionId":7}';
const postgres = databases().filter((d) => d.name === 'postgres');

const pageOf = (p: number, data = `[{"p":${p}},{"p":${p},"second":true}]`): PageWrite => ({
  unit: 0,
  url: `u/${p}`,
  page: { params: PARAMS, data, url: `u/${p}`, input: null, createdAt: new Date() },
});

// Under DEVLAKE_TEST_DBS without postgres the file states just that.
if (postgres.length === 0) it('has no Postgres to run on (DEVLAKE_TEST_DBS)', () => expect(postgres).toEqual([]));
else describe.each(postgres)('Postgres page commits of more pages than a shape of their own ($name)', ({ open }) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await openStagingDb(open, RAW);
  });
  afterEach(async () => db.drop());

  it('writes a commit of more pages than the exact shapes as one padded statement, in page order', async () => {
    const pages = Array.from({ length: PAGES_PER_STATEMENT * 2 + 3 }, (_, p) => pageOf(p));
    await commitRawPages(db.dal, RAW, PARAMS, pages, { done: pages.length });
    const rows = (await db.dal.knex(RAW).select('data').orderBy('id')) as Array<{ data: string }>;
    expect(rows.map((r) => (JSON.parse(r.data) as { p: number }).p)).toEqual(pages.flatMap((_, p) => [p, p]));
    expect(Number(((await db.dal.knex(RAW_STAGING_TABLE).count({ n: '*' })) as Array<{ n: unknown }>)[0]!.n)).toBe(pages.length);
    expect((await getCollectorState(db.dal, RAW, PARAMS))?.checkpoint).toEqual({ done: pages.length });
  });

  it('writes nothing of such a commit whose late page fails', async () => {
    const pages = Array.from({ length: PAGES_PER_STATEMENT + 2 }, (_, p) => pageOf(p));
    pages[PAGES_PER_STATEMENT + 1] = pageOf(99, '[{"p": 99}, not json]');
    await expect(commitRawPages(db.dal, RAW, PARAMS, pages, { done: 1 })).rejects.toThrow(/json/i);
    expect(await db.dal.knex(RAW).count({ n: '*' })).toEqual([{ n: '0' }]);
    expect(await db.dal.knex(RAW_STAGING_TABLE).count({ n: '*' })).toEqual([{ n: '0' }]);
    expect(await getCollectorState(db.dal, RAW, PARAMS)).toBeUndefined();
    // The connection went back to the pool outside any transaction: the next commit works.
    await commitRawPages(db.dal, RAW, PARAMS, [pageOf(1)], { done: 2 });
    expect(await db.dal.knex(RAW).count({ n: '*' })).toEqual([{ n: '2' }]);
  });

  it('refuses a commit of more pages than one statement can bind, before writing anything', async () => {
    const pages = Array.from({ length: MAX_PAGES_PER_COMMIT + 1 }, (_, p) => pageOf(p));
    await expect(commitRawPages(db.dal, RAW, PARAMS, pages, { done: 1 })).rejects.toThrow(`at most ${MAX_PAGES_PER_COMMIT} pages`);
    expect(await db.dal.knex(RAW).count({ n: '*' })).toEqual([{ n: '0' }]);
  });
});
