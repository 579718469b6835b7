import { hasErrorCode } from '../../../src/core/errors';
import { databases, type TestDb } from '../../../src/testing/databases';

/** What only MySQL/MariaDB needs handled: packet size, strict mode, zero dates, collation, column types. */
const mysql = databases().filter((d) => d.name === 'mysql');

describe.each(mysql)('MySQL dialect on $name', ({ open }) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await open();
  });
  afterEach(async () => db.drop());

  const rowsOf = async (sql: string, bindings: unknown[] = []): Promise<Array<Record<string, unknown>>> =>
    ((await db.dal.knex.raw(sql, bindings as never[])) as unknown as [Array<Record<string, unknown>>])[0];

  it("cuts a batch into statements that fit max_allowed_packet, and refuses a single row that cannot fit before writing any", async () => {
    await db.dal.knex.schema.createTable('big', (t) => {
      t.integer('id').primary();
      t.text('body');
    });
    const [{ p }] = await rowsOf('SELECT @@max_allowed_packet AS p');
    const packet = Number(p);
    const chunk = 'x'.repeat(Math.floor(packet / 8));
    // 12 rows of an eighth of the packet each (×3 bytes worst case): several statements, every row written.
    expect(await db.dal.insert('big', Array.from({ length: 12 }, (_, i) => ({ id: i, body: chunk })))).toBe(12);
    const [{ n }] = await rowsOf('SELECT COUNT(*) AS n, SUM(LENGTH(body)) AS total FROM big');
    expect(Number(n)).toBe(12);
    const err = await db.dal.insert('big', [{ id: 100, body: 'ok' }, { id: 101, body: 'y'.repeat(packet) }]).catch((e: unknown) => e);
    expect(hasErrorCode(err, 'DEVLAKE_E_DB_ROW_TOO_LARGE')).toBe(true);
    expect((err as Error).message).toContain('max_allowed_packet');
    expect(await db.dal.knex('big').where('id', '>=', 100)).toEqual([]);
  });

  it('creates DevLake column types: datetime(3), longtext, tinyint(1), utf8mb4 with a binary collation, text indexes over a prefix', async () => {
    await db.dal.knex.schema.createTable('shapes', (t) => {
      t.string('id', 255).primary();
      t.text('params').index();
      t.timestamp('at', { useTz: true });
      t.boolean('flag');
    });
    const [row] = await rowsOf('SHOW CREATE TABLE shapes');
    const ddl = String(row!['Create Table']);
    expect(ddl).toContain('`params` longtext');
    expect(ddl).toContain('`at` datetime(3)');
    expect(ddl).toContain('`flag` tinyint(1)');
    expect(ddl).toContain('KEY `shapes_params_index` (`params`(255))');
    expect(ddl).toMatch(/CHARSET=utf8mb4 COLLATE=utf8mb4_bin/);
  });

  it('reads the same JS values as the other databases: booleans, UTC Dates with milliseconds, 4-byte UTF-8, keys that differ only in case', async () => {
    await db.dal.knex.schema.createTable('vals', (t) => {
      t.string('k', 255).primary();
      t.boolean('flag');
      t.timestamp('at', { useTz: true });
      t.text('s');
    });
    const at = new Date('2022-06-13T15:35:54.123Z');
    await db.dal.upsert(
      'vals',
      [
        { k: 'A', flag: true, at, s: 'é😀' },
        { k: 'a', flag: false, at: '2022-06-13T15:35:54.123Z', s: null },
      ],
      { primaryKey: ['k'] },
    );
    expect(await db.dal.knex('vals').orderBy('k')).toEqual([
      { k: 'A', flag: true, at, s: 'é😀' },
      { k: 'a', flag: false, at, s: null },
    ]);
  });

  it("reads a zero date a DevLake database may hold as null, and strict mode refuses to write one", async () => {
    await db.dal.knex.raw("CREATE TABLE legacy (id INT PRIMARY KEY, at DATETIME(3) NULL)");
    // What an older writer left, written with this session's zero-date checks off.
    await db.dal.knex.transaction(async (trx) => {
      await trx.raw("SET SESSION sql_mode = ''");
      await trx.raw("INSERT INTO legacy VALUES (1, '0000-00-00 00:00:00.000')");
      await trx.raw("SET SESSION sql_mode = 'STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'");
    });
    expect(await db.dal.knex('legacy')).toEqual([{ id: 1, at: null }]);
    await expect(db.dal.knex.raw("INSERT INTO legacy VALUES (2, '0000-00-00 00:00:00')")).rejects.toMatchObject({ message: expect.stringMatching(/Incorrect datetime/) });
  });
});
