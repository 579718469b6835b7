import { isMissingTableOrColumn } from '../../src/dal/missing-table-error';
import { databases, type TestDb } from '../../src/testing/databases';

/** Each driver's own error for each case, not a hand-made one: the codes and words are theirs. */
describe.each(databases())('isMissingTableOrColumn on $name', ({ open }) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await open();
    await db.dal.knex.schema.createTable('things', (t) => t.integer('id').primary());
    await db.dal.insert('things', [{ id: 1 }]);
  });
  afterEach(async () => db.drop());

  const failure = (run: () => PromiseLike<unknown>): Promise<unknown> =>
    Promise.resolve()
      .then(run)
      .then(
        () => {
          throw new Error('the statement did not fail');
        },
        (e: unknown) => e,
      );

  it('knows a missing table, a missing column read and a missing column written, also as a cause', async () => {
    const table = await failure(() => db.dal.knex('nothing_here').select('id'));
    expect(isMissingTableOrColumn(table)).toBe(true);
    expect(isMissingTableOrColumn(await failure(() => db.dal.knex('things').select('no_col')))).toBe(true);
    expect(isMissingTableOrColumn(await failure(() => db.dal.knex('things').insert({ id: 2, no_col: 1 })))).toBe(true);
    expect(isMissingTableOrColumn(await failure(() => db.dal.knex('things').where({ no_col: 1 }).delete()))).toBe(true);
    expect(isMissingTableOrColumn(new Error('Cannot replace the rows', { cause: table }))).toBe(true);
  });

  it('does not take another statement error for a missing table', async () => {
    expect(isMissingTableOrColumn(await failure(() => db.dal.knex('things').insert({ id: 1 })))).toBe(false);
    expect(isMissingTableOrColumn(await failure(() => db.dal.knex.raw('SELEC 1')))).toBe(false);
    expect(isMissingTableOrColumn(new Error('no such table: x'))).toBe(false); // words without a driver's code
    expect(isMissingTableOrColumn(Object.assign(new Error('role "x" does not exist'), { code: '42704' }))).toBe(false);
    expect(isMissingTableOrColumn(undefined)).toBe(false);
  });
});
