import { openSqliteThreadWriter } from '../../../src/dal/sqlite/thread-writer';
import { sqliteDialect } from '../../../src/dal/sqlite';
import { databases, type TestDb } from '../../../src/testing/databases';
import { createDal } from '../../../src/dal/connect';
import type { InsertPlan } from '../../../src/dal/driver';

const sqlite = databases().find((d) => d.name === 'sqlite')!;
const plan: InsertPlan = { table: 'things', columns: ['id', 'name'], onConflict: { keys: ['id'], merge: ['name'] } };
const insertSql = (p: InsertPlan, n: number) => sqliteDialect.insertSql(p, n);

describe('SQLite thread writer', () => {
  let db: TestDb;
  beforeEach(async () => {
    db = await sqlite.open();
    await db.dal.knex.schema.createTable('things', (t) => {
      t.integer('id').primary();
      t.text('name');
    });
    await db.dal.insert('things', [{ id: 1, name: 'old' }]);
  });
  afterEach(async () => db.drop());

  const names = async () => (await db.dal.knex('things').orderBy('id')).map((r) => `${r.id}:${r.name}`);
  const rows = (from: number, n: number) => Array.from({ length: n }, (_, i) => [from + i, `n${from + i}`]).flat();

  it('deletes and writes in one transaction, visible only after commit, while the main connection reads', async () => {
    const writer = openSqliteThreadWriter(db.dal.knex, insertSql)!;
    await writer.deleteWhere('things', { name: 'old' }, (e) => e);
    // 700 rows: a full 500-row statement, then the tail in powers of two; the key 1 comes again (last wins).
    await writer.insert(plan, rows(1, 700), 700, 500, (e) => e);
    await writer.insert(plan, [1, 'again'], 1, 500, (e) => e);
    expect(await names()).toEqual(['1:old']);
    await writer.commit();
    const after = await names();
    expect(after).toHaveLength(700);
    expect(after.slice(0, 2)).toEqual(['1:again', '2:n2']);
  });

  it('rolls back: the previous rows stay', async () => {
    const writer = openSqliteThreadWriter(db.dal.knex, insertSql)!;
    await writer.deleteWhere('things', { id: 1 }, (e) => e);
    await writer.insert(plan, rows(2, 10), 10, 500, (e) => e);
    await writer.rollback();
    await writer.rollback(); // ending twice is harmless
    expect(await names()).toEqual(['1:old']);
  });

  it('surfaces a failed write as its request worded it, at a later call or at commit, and writes nothing', async () => {
    const writer = openSqliteThreadWriter(db.dal.knex, insertSql)!;
    await writer.deleteWhere('things', { id: 1 }, (e) => e);
    const bad = { ...plan, columns: ['id', 'no_such_column'] };
    const worded = (e: Error) => new Error(`writing things: ${e.message}`);
    await writer.insert(bad, [5, 'x'], 1, 500, worded).catch(() => undefined);
    await expect(writer.commit()).rejects.toThrow(/^writing things: .*no_such_column/);
    expect(await names()).toEqual(['1:old']);
  });

  it('is not offered for an in-memory database (no other connection could see it)', async () => {
    const mem = await createDal('sqlite::memory:');
    try {
      expect(openSqliteThreadWriter(mem.knex, insertSql)).toBeUndefined();
    } finally {
      await mem.close();
    }
  });
});
