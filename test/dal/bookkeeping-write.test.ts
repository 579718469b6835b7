import { bookkeepingWrite } from '../../src/dal/bookkeeping-write';
import { createDal } from '../../src/dal/connect';
import { databases, type TestDb } from '../../src/testing/databases';

describe.each(databases())('bookkeepingWrite on $name', ({ open }) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await open();
    await db.dal.knex.schema.createTable('marks', (t) => {
      t.increments('id');
      t.string('what', 20);
    });
  });
  afterEach(async () => db.drop());

  it('writes and returns what the write returns, committed for every other connection', async () => {
    const n = await bookkeepingWrite(db.dal, (knex) => knex('marks').insert([{ what: 'a' }, { what: 'b' }]));
    expect(n).toBeDefined();
    const updated = await bookkeepingWrite(db.dal, (knex) => knex('marks').where({ what: 'a' }).update({ what: 'c' }));
    expect(updated).toBe(1);
    const other = await createDal(db.url);
    try {
      expect((await other.knex('marks').orderBy('id').select('what')).map((r: { what: string }) => r.what)).toEqual(['c', 'b']);
    } finally {
      await other.close();
    }
  });

  it('skips the log flush only where a transaction can (Postgres), and joins a transaction it is given as is', async () => {
    const setting = (knex: import('knex').Knex) =>
      db.dal.dialect === 'postgres' ? knex.raw(`SELECT current_setting('synchronous_commit') AS v`).then((r: { rows: Array<{ v: string }> }) => r.rows[0]!.v) : Promise.resolve('n/a');
    const outside = await bookkeepingWrite(db.dal, setting);
    expect(outside).toBe(db.dal.dialect === 'postgres' ? 'off' : 'n/a');
    // Inside a caller's transaction the write is part of it: its durability is the caller's.
    const inside = await db.dal.transaction((tx) => bookkeepingWrite(tx, setting));
    expect(inside).toBe(db.dal.dialect === 'postgres' ? 'on' : 'n/a');
    // And the session is left as it was.
    expect(await setting(db.dal.knex)).toBe(db.dal.dialect === 'postgres' ? 'on' : 'n/a');
  });
});
