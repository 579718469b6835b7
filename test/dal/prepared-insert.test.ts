import { executeInsert, insertSql, statementSizes } from '../../src/dal/prepared-insert';
import { databases, type TestDb } from '../../src/testing/databases';

describe('statementSizes', () => {
  it('uses full statements, then powers of two for the remainder', () => {
    expect(statementSizes(1234, 500)).toEqual([500, 500, 128, 64, 32, 8, 2]);
    expect(statementSizes(500, 500)).toEqual([500]);
    expect(statementSizes(7, 500)).toEqual([4, 2, 1]);
    expect(statementSizes(0, 500)).toEqual([]);
  });

  it('always covers every row exactly', () => {
    for (const [total, per] of [
      [1, 1],
      [999, 10],
      [12000, 2285],
      [65, 64],
    ]) {
      const sizes = statementSizes(total!, per!);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(total);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(per!);
    }
  });
});

describe('insertSql', () => {
  const plan = { table: 'main.items', columns: ['a', 'b"q'], onConflict: null };

  it('quotes identifiers and numbers Postgres placeholders across rows', () => {
    expect(insertSql('postgres', plan, 2)).toBe('INSERT INTO "main"."items" ("a", "b""q") VALUES ($1, $2), ($3, $4)');
    expect(insertSql('sqlite', plan, 2)).toBe('INSERT INTO "main"."items" ("a", "b""q") VALUES (?, ?), (?, ?)');
  });

  it('writes DO UPDATE for merge columns and DO NOTHING without them', () => {
    expect(insertSql('sqlite', { table: 't', columns: ['k', 'v'], onConflict: { keys: ['k'], merge: ['v'] } }, 1)).toBe(
      'INSERT INTO "t" ("k", "v") VALUES (?, ?) ON CONFLICT ("k") DO UPDATE SET "v" = excluded."v"',
    );
    expect(insertSql('postgres', { table: 't', columns: ['k'], onConflict: { keys: ['k'], merge: [] } }, 1)).toBe(
      'INSERT INTO "t" ("k") VALUES ($1) ON CONFLICT ("k") DO NOTHING',
    );
  });
});

describe.each(databases())('executeInsert on $name', ({ open, name }) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await open();
    await db.dal.knex.schema.createTable('items', (t) => {
      t.integer('k').primary();
      t.text('v');
    });
  });
  afterEach(async () => db.drop());

  const rowsOf = (from: number, n: number, tag: string): unknown[] => Array.from({ length: n }, (_, i) => [from + i, `${tag}${from + i}`]).flat();
  const all = async (): Promise<Array<{ k: number; v: string }>> => db.dal.knex('items').orderBy('k');

  it('writes every row when the count is not a multiple of the statement size, and again with the same cached statements', async () => {
    const plan = { table: 'items', columns: ['k', 'v'], onConflict: { keys: ['k'], merge: ['v'] } };
    await executeInsert(db.dal.knex, name, plan, rowsOf(0, 37, 'a'), 37, 10);
    await executeInsert(db.dal.knex, name, plan, rowsOf(30, 17, 'b'), 17, 10);
    const rows = await all();
    expect(rows).toHaveLength(47);
    expect(rows[29]).toEqual({ k: 29, v: 'a29' });
    expect(rows[30]).toEqual({ k: 30, v: 'b30' });
    expect(rows[46]).toEqual({ k: 46, v: 'b46' });
  });

  it('keeps existing rows with DO NOTHING and fails a plain insert on a duplicate key', async () => {
    await executeInsert(db.dal.knex, name, { table: 'items', columns: ['k', 'v'], onConflict: null }, [1, 'first'], 1, 10);
    await executeInsert(db.dal.knex, name, { table: 'items', columns: ['k', 'v'], onConflict: { keys: ['k'], merge: [] } }, [1, 'second'], 1, 10);
    expect(await all()).toEqual([{ k: 1, v: 'first' }]);
    // Match the message: better-sqlite3 errors come from the first test file's realm when jest shares a worker, so toThrow() misses them.
    await expect(executeInsert(db.dal.knex, name, { table: 'items', columns: ['k', 'v'], onConflict: null }, [1, 'third'], 1, 10)).rejects.toMatchObject({
      message: expect.stringMatching(/UNIQUE|duplicate key|Duplicate entry/),
    });
  });

  it('writes on the transaction it is given, so a rollback removes the rows', async () => {
    await expect(
      db.dal.transaction(async (tx) => {
        await executeInsert(tx.knex, name, { table: 'items', columns: ['k', 'v'], onConflict: null }, rowsOf(0, 5, 'x'), 5, 2);
        expect(await tx.knex('items').count({ n: '*' })).toEqual([{ n: name === 'postgres' ? '5' : 5 }]);
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect(await all()).toEqual([]);
  });

  it('stores the same values when a statement writes columns every row shares as literals', async () => {
    // Statements of 64+ rows write a column that is NULL, the same short string or small number in every row as a
    // literal (SQLite, Postgres); the first statement fixes which: here v (''), n (0) and s, while t is 0 in the first 100 rows only.
    for (const table of ['lit', 'bound']) {
      await db.dal.knex.schema.createTable(table, (t) => {
        t.integer('k').primary();
        t.text('v');
        t.integer('n');
        t.text('t');
        t.float('f');
        t.string('s', 100);
      });
    }
    const values = Array.from({ length: 300 }, (_, k) => [k, '', 0, k < 100 ? 0 : `x${k}`, k < 200 ? null : 1.5, "it's ü 😀 a\\b"]).flat();
    const plan = (table: string) => ({ table, columns: ['k', 'v', 'n', 't', 'f', 's'], onConflict: { keys: ['k'], merge: ['v', 'n', 't', 'f', 's'] } });
    await executeInsert(db.dal.knex, name, plan('lit'), values, 300, 100);
    await executeInsert(db.dal.knex, name, plan('lit'), values, 300, 100); // again: every row conflicts
    await executeInsert(db.dal.knex, name, plan('bound'), values, 300, 10); // 10-row statements bind every value
    const read = async (table: string) => {
      const typed = name === 'sqlite' ? ', typeof(v) AS tv, typeof(n) AS tn, typeof(t) AS tt, typeof(f) AS tf, typeof(s) AS ts' : '';
      const r = await db.dal.knex.raw(`SELECT k, v, n, t, f, s${typed} FROM ${table} ORDER BY k`);
      return (Array.isArray(r) ? (Array.isArray(r[0]) ? r[0] : r) : r.rows) as unknown[];
    };
    const lit = await read('lit');
    expect(lit).toHaveLength(300);
    expect(lit).toEqual(await read('bound'));
  });

  it('still works after the table is dropped and created again with other column types', async () => {
    const plan = { table: 'items', columns: ['k', 'v'], onConflict: null };
    await executeInsert(db.dal.knex, name, plan, [1, 'one'], 1, 10);
    await db.dal.knex.schema.dropTable('items');
    await db.dal.knex.schema.createTable('items', (t) => {
      t.bigInteger('k').primary();
      t.string('v', 50);
    });
    await executeInsert(db.dal.knex, name, plan, [2, 'two'], 1, 10);
    expect((await all()).map((r) => [Number(r.k), r.v])).toEqual([[2, 'two']]);
  });
});
