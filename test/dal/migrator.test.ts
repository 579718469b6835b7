import { databases, type TestDb } from 'devlake-ts/testing';
import type { Dal, MigrationScript } from 'devlake-ts';
import { createDal } from '../../src/dal/connect';
import { LOCKS_TABLE } from '../../src/dal/db-lock';
import { migrate, MIGRATION_HISTORY_TABLE, type MigrationSet } from '../../src/dal/migrator';

/** A script slow enough that a second process arrives while it runs. */
const slowSets = (): MigrationSet[] => [
  {
    owner: 'plugin:slow',
    scripts: [
      {
        version: 20240101000001,
        name: 'add_slow_table',
        async up(db) {
          await db.schema.createTable('_tool_slow_items', (t) => {
            t.integer('id').primary();
          });
          await new Promise((r) => setTimeout(r, 600));
        },
      },
      {
        version: 20240101000002,
        name: 'add_slow_column',
        async up(db) {
          await db.schema.alterTable('_tool_slow_items', (t) => {
            t.string('title', 100);
          });
        },
      },
    ] satisfies MigrationScript[],
  },
];

describe.each(databases())('migrate() with several processes on $name', (target) => {
  let db: TestDb;
  let others: Dal[] = [];
  beforeEach(async () => {
    db = await target.open();
  });
  afterEach(async () => {
    await Promise.all(others.map((d) => d.close()));
    others = [];
    await db.drop();
  });

  it('on a fresh database, the later processes wait for the first, then find nothing to apply', async () => {
    // Separate pools stand for separate processes (separate sessions on Postgres).
    others = await Promise.all([1, 2, 3].map(() => createDal(db.url)));
    const results = await Promise.all([db.dal, ...others].map((d) => migrate(d, slowSets())));
    expect(results.map((r) => r.length).sort()).toEqual([0, 0, 0, 2]);
    expect(Number((await db.dal.knex(MIGRATION_HISTORY_TABLE).count({ n: '*' }))[0].n)).toBe(2);
    expect(await db.dal.hasTable('_tool_slow_items')).toBe(true);
    expect(Number((await db.dal.knex(LOCKS_TABLE).count({ n: '*' }))[0].n)).toBe(0);
  });

  it('takes no lock when nothing is pending', async () => {
    await migrate(db.dal, slowSets());
    await db.dal.knex.schema.dropTable(LOCKS_TABLE);
    expect(await migrate(db.dal, slowSets())).toEqual([]);
    expect(await db.dal.hasTable(LOCKS_TABLE)).toBe(false);
  });
});
