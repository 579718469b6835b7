import { hasErrorCode } from '../../../src/core/errors';
import { withDriverConnection } from '../../../src/dal/driver';
import { mysqlDialect } from '../../../src/dal/mysql';
import type { MysqlConnection } from '../../../src/dal/mysql/client';
import { ensureRawTable } from '../../../src/dal/raw-table';
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

  it('writes a raw page by prepared statements: ids from the insert, a page larger than a packet cut into several, ids read back when they step', async () => {
    await ensureRawTable(db.dal, '_raw_x');
    const page = (records: unknown[]) => ({ params: '{"p":1}', data: JSON.stringify(records), url: 'u', input: null, createdAt: new Date('2024-01-02T03:04:05.678Z') });
    const ids = async (): Promise<number[]> => (await db.dal.knex('_raw_x').select('id').orderBy('id')).map((r: { id: number | string }) => Number(r.id));

    // The shortcut is on where the server makes a statement's ids consecutive (MariaDB's default lock mode 1).
    const [vars] = await rowsOf('SELECT @@innodb_autoinc_lock_mode AS m, @@auto_increment_increment AS i');
    const flag = await withDriverConnection<MysqlConnection, boolean | undefined>(db.dal.knex, async (conn) => conn.devlakeConsecutiveIds);
    expect(flag).toBe(Number(vars!.m) <= 1 && Number(vars!.i) === 1);

    const first = await mysqlDialect.insertRawPage!(db.dal.knex, '_raw_x', page([{ a: 'é🚀' }, { a: 2 }, { a: 3 }]));
    expect(first).toEqual({ rows: 3, fromId: 1, toId: 3 });
    const [row] = await db.dal.knex('_raw_x').where('id', 1);
    expect(row).toMatchObject({ params: '{"p":1}', data: '{"a":"é🚀"}', url: 'u', input: null });
    expect((row.created_at as Date).toISOString()).toBe('2024-01-02T03:04:05.678Z');

    // Records of an eighth of the packet (×3 bytes counted): several statements; the range spans them all.
    const [{ p }] = await rowsOf('SELECT @@max_allowed_packet AS p');
    const big = Array.from({ length: 6 }, (_, i) => ({ i, s: 'x'.repeat(Math.floor(Number(p) / 8)) }));
    expect(await mysqlDialect.insertRawPage!(db.dal.knex, '_raw_x', page(big))).toEqual({ rows: 6, fromId: 4, toId: 9 });

    // Ids that step (auto_increment_increment 3, as on a Galera node): the shortcut is off and the range is read back.
    const stepped = await db.dal.transaction(async (tx) => {
      await tx.knex.raw('SET SESSION auto_increment_increment = 3');
      await withDriverConnection<MysqlConnection>(tx.knex, (conn) => {
        conn.devlakeConsecutiveIds = false;
      });
      const r = await mysqlDialect.insertRawPage!(tx.knex, '_raw_x', page([{ a: 1 }, { a: 2 }, { a: 3 }]));
      await tx.knex.raw('SET SESSION auto_increment_increment = 1');
      await withDriverConnection<MysqlConnection>(tx.knex, (conn) => {
        conn.devlakeConsecutiveIds = true;
      });
      return r;
    });
    const all = await ids();
    expect(all).toHaveLength(12);
    expect(stepped).toEqual({ rows: 3, fromId: all[9], toId: all[11] });
    expect(all[11]! - all[9]!).toBe(6);
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
