import { frameworkMigrations } from '../../src/dal/framework-migrations';
import { FRAMEWORK_TABLES, LEGACY_TABLE_NAMES } from '../../src/dal/framework-tables';
import { migrate } from '../../src/dal/migrator';
import { ensureStagingTable } from '../../src/helpers/raw-staging';
import { databases, type TestDb } from '../../src/testing/databases';

const FRAMEWORK = [{ owner: 'framework', scripts: frameworkMigrations }];

describe.each(databases())('legacy framework table names on $name', ({ open }) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await open();
  });
  afterEach(async () => db.drop());

  /** A database as devlake-ts left it before the rename: `_devlake_*` tables, a history whose checksum is the old script's. */
  async function legacyDatabase(): Promise<void> {
    await migrate(db.dal, FRAMEWORK);
    await ensureStagingTable(db.dal);
    for (const [legacy, current] of Object.entries(LEGACY_TABLE_NAMES)) {
      if (current !== FRAMEWORK_TABLES.migrationHistory) await db.dal.knex.schema.renameTable(current, legacy);
    }
    // The history as the old migrator created it (its own key name), with the rows.
    await db.dal.knex.schema.createTable('_devlake_migration_history', (t) => {
      t.string('owner', 100).notNullable();
      t.bigInteger('version').notNullable();
      t.string('name', 255).notNullable();
      t.string('checksum', 64).notNullable();
      t.timestamp('applied_at', { useTz: true }).notNullable();
      t.primary(['owner', 'version']);
    });
    await db.dal.knex('_devlake_migration_history').insert(await db.dal.knex(FRAMEWORK_TABLES.migrationHistory).select('*'));
    await db.dal.knex.schema.dropTable(FRAMEWORK_TABLES.migrationHistory);
    await db.dal.knex('_devlake_migration_history').where({ owner: 'framework', version: 20240101000001 }).update({ checksum: 'f'.repeat(64) });
    const now = new Date();
    for (const name of ['older run', 'old run']) await db.dal.knex('_devlake_pipelines').insert({ name, status: 'COMPLETED', created_at: now, updated_at: now });
    await db.dal.knex('_devlake_tasks').insert({ pipeline_id: 2, plugin: 'icla', status: 'COMPLETED', created_at: now, updated_at: now });
    await db.dal.knex('_devlake_collector_latest_state').insert({ raw_data_table: '_raw_x', raw_data_params: '{}', checkpoint: '{"v":1}', created_at: now, updated_at: now });
  }

  it('moves the legacy tables and their rows to the _devlake_ts_ names, and the history with them', async () => {
    await legacyDatabase();
    expect(await migrate(db.dal, FRAMEWORK)).toEqual([]); // nothing re-applied, no checksum refusal
    for (const [legacy, current] of Object.entries(LEGACY_TABLE_NAMES)) {
      expect([legacy, await db.dal.hasTable(legacy)]).toEqual([legacy, false]);
      expect([current, await db.dal.hasTable(current)]).toEqual([current, true]);
    }
    const pipelines = await db.dal.knex(FRAMEWORK_TABLES.pipelines).select('id', 'name').orderBy('id');
    expect(pipelines.map((p) => [Number(p.id), p.name])).toEqual([
      [1, 'older run'],
      [2, 'old run'],
    ]);
    expect((await db.dal.knex(FRAMEWORK_TABLES.tasks).select('pipeline_id')).map((r) => Number(r.pipeline_id))).toEqual([2]);
    expect(await db.dal.knex(FRAMEWORK_TABLES.collectorState).select('checkpoint')).toEqual([{ checkpoint: '{"v":1}' }]);
    const history = await db.dal.knex(FRAMEWORK_TABLES.migrationHistory).select('owner', 'name').orderBy('version');
    expect(history.map((h) => h.name)).toEqual(frameworkMigrations.map((m) => m.name));
    // New ids continue after the carried rows.
    const [res] = (await db.dal.knex(FRAMEWORK_TABLES.pipelines).insert({ name: 'new', status: 'RUNNING' }).returning('id')) as Array<{ id: number } | number>;
    expect(Number(typeof res === 'object' ? res.id : res)).toBe(3);
  });

  it("leaves Apache DevLake's own _devlake_ tables alone", async () => {
    // DevLake's history and pipelines have other columns; devlake-ts never created them.
    await db.dal.knex.schema.createTable('_devlake_migration_history', (t) => {
      t.string('script_version', 255);
      t.string('script_name', 255);
      t.text('comment');
    });
    await db.dal.knex.schema.createTable('_devlake_pipelines', (t) => {
      t.bigIncrements('id');
      t.string('name', 255);
      t.bigInteger('blueprint_id');
    });
    await db.dal.knex('_devlake_migration_history').insert({ script_version: '20220101', script_name: 'init', comment: '' });
    await db.dal.knex('_devlake_pipelines').insert({ name: 'devlake', blueprint_id: 1 });
    await migrate(db.dal, FRAMEWORK);
    expect(await db.dal.knex('_devlake_migration_history').select('script_name')).toEqual([{ script_name: 'init' }]);
    expect(await db.dal.knex('_devlake_pipelines').select('name')).toEqual([{ name: 'devlake' }]);
    expect(await db.dal.knex(FRAMEWORK_TABLES.pipelines).count({ n: '*' })).toEqual([{ n: expect.anything() }]);
    expect(Number((await db.dal.knex(FRAMEWORK_TABLES.pipelines).count({ n: '*' }))[0]!.n)).toBe(0);
  });
});
