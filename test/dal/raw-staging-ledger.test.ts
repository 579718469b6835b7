import { frameworkMigrations } from '../../src/dal/framework-migrations';
import { migrate } from '../../src/dal/migrator';
import { ensureRawTable } from '../../src/dal/raw-table';
import { publishStaged, RAW_STAGING_TABLE, writeRawPages } from '../../src/helpers/raw-staging';
import { databases, type TestDb } from '../../src/testing/databases';

const RAW = '_raw_ledger_items';
const PARAMS = '{"ConnectionId":1}';

/**
 * A database whose staging table was created by a version that staged whole
 * pages (no ledger columns) and still holds a crashed collection's pages: the
 * migration adds the columns, and publishing takes the old staged page and
 * the new version's written pages together.
 */
describe.each(databases())('add_raw_staging_ledger_columns on $name', ({ open }) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await open();
  });
  afterEach(async () => db.drop());

  it('adds the ledger columns to an older staging table, whose staged pages still publish', async () => {
    const before = frameworkMigrations.filter((m) => m.name !== 'add_raw_staging_ledger_columns');
    await migrate(db.dal, [{ owner: 'framework', scripts: before }]);
    // The staging table as older versions created it on first use.
    await db.dal.knex.schema.createTable(RAW_STAGING_TABLE, (t) => {
      t.bigIncrements('id').primary();
      t.string('raw_table', 255).notNullable();
      t.text('params').notNullable();
      t.integer('unit');
      t.integer('records');
      t.text('data');
      t.text('url');
      t.text('input');
      t.timestamp('created_at', { useTz: true });
    });
    await ensureRawTable(db.dal, RAW);
    await db.dal.insert(RAW_STAGING_TABLE, [{ raw_table: RAW, params: PARAMS, unit: 0, records: 2, data: '[{"id":1},{"id":2}]', url: 'p1', input: null, created_at: new Date() }]);

    await migrate(db.dal, [{ owner: 'framework', scripts: frameworkMigrations }]);
    expect(await db.dal.knex.schema.hasColumn(RAW_STAGING_TABLE, 'raw_from_id')).toBe(true);
    expect(await db.dal.knex.schema.hasColumn(RAW_STAGING_TABLE, 'raw_to_id')).toBe(true);

    await db.dal.transaction((tx) =>
      writeRawPages(tx, RAW, [{ unit: 0, url: 'p2', page: { params: PARAMS, data: '[{"id":3}]', url: 'p2', input: null, createdAt: new Date() } }]),
    );
    const n = await db.dal.transaction((tx) => publishStaged(tx, RAW, PARAMS, true));
    expect(n).toBe(3);
    const ids = ((await db.dal.knex(RAW).select('data')) as Array<{ data: string }>).map((r) => (JSON.parse(r.data) as { id: number }).id).sort();
    expect(ids).toEqual([1, 2, 3]);
  });
});
