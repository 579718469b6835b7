import * as fs from 'node:fs';
import * as path from 'node:path';
import { runConformance } from '../../generated-plugins/github/e2e/conformance';
import { hasErrorCode } from '../../src/core/errors';
import { isDevlakeDatabase } from '../../src/dal/devlake-database';
import type { Dal } from '../../src/dal/types';
import { migrateAll } from '../../src/runner/migrate-all';
import { databases, type TestDb } from '../../src/testing/databases';
import { spawnDevlake } from '../cli/helpers';

/**
 * devlake-ts writing into a database Apache DevLake owns: DevLake's schema is
 * made from ../shared/devlake-schema/*.json (its framework and domain tables,
 * with its MySQL column types), then devlake-ts runs in it.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const SCHEMA = path.resolve(ROOT, '..', 'shared', 'devlake-schema');
type SchemaTable = { primaryKey: string[]; columns: Array<[string, string]> };
const load = (file: string): Record<string, SchemaTable> => (JSON.parse(fs.readFileSync(path.join(SCHEMA, file), 'utf8')) as { tables: Record<string, SchemaTable> }).tables;

/** DevLake's tables as its gorm migrations create them; calendar_months as its migration script does. */
async function createDevlakeSchema(dal: Dal): Promise<string[]> {
  const tables = { ...load('framework.json'), ...load('domain.json') };
  const q = (n: string) => `\`${n.replace(/`/g, '``')}\``;
  for (const [name, t] of Object.entries(tables)) {
    const cols = t.columns.map(([c, type]) => `${q(c)} ${type}${t.primaryKey.includes(c) ? ' NOT NULL' : ''}`);
    const pk = t.primaryKey.length > 0 ? `, PRIMARY KEY (${t.primaryKey.map(q).join(', ')})` : '';
    await dal.knex.raw(`CREATE TABLE ${q(name)} (${cols.join(', ')}${pk}) DEFAULT CHARSET=utf8mb4`);
  }
  await dal.knex.raw('CREATE TABLE `calendar_months` (`month` varchar(20) NOT NULL, `month_timestamp` timestamp NULL, PRIMARY KEY (`month`)) DEFAULT CHARSET=utf8mb4');
  await dal.knex.raw(
    'CREATE TABLE `_devlake_migration_history` (`script_version` varchar(255) NOT NULL, `script_name` varchar(255) NOT NULL, `comment` longtext, `created_at` datetime(3), PRIMARY KEY (`script_version`, `script_name`)) DEFAULT CHARSET=utf8mb4',
  );
  await dal.knex('_devlake_migration_history').insert({ script_version: '20220406212344', script_name: 'init schemas', comment: '' });
  return [...Object.keys(tables), 'calendar_months', '_devlake_migration_history'];
}

async function showCreate(dal: Dal, tables: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const t of tables) {
    const [[row]] = (await dal.knex.raw('SHOW CREATE TABLE ??', [t])) as unknown as [[Record<string, string>]];
    // AUTO_INCREMENT=n is the next id, not the table's shape.
    out.set(t, row!['Create Table']!.replace(/ AUTO_INCREMENT=\d+/, ''));
  }
  return out;
}

const count = async (dal: Dal, table: string): Promise<number> => Number(((await dal.knex(table).count({ n: '*' })) as Array<{ n: unknown }>)[0]!.n);

const mysql = databases().filter((d) => d.name === 'mysql');

describe.each(mysql)('beside an Apache DevLake database on $name', ({ open }) => {
  let db: TestDb;
  let devlakeTables: string[];
  beforeEach(async () => {
    db = await open();
    devlakeTables = await createDevlakeSchema(db.dal);
  });
  afterEach(async () => db.drop());

  it("runs the GitHub conformance data and the ICLA example into it, leaving every DevLake table's shape as it was", async () => {
    expect(await isDevlakeDatabase(db.dal)).toBe(true);
    const before = await showCreate(db.dal, devlakeTables);

    const report = await runConformance({ openDb: async () => ({ dal: db.dal, drop: async () => undefined }) });
    expect(report.tests.filter((t) => !t.passed).map((t) => t.name)).toEqual([]);
    expect(report.tests).toHaveLength(16);

    const icla = spawnDevlake(['run', 'icla', '--replay'], { cwd: ROOT, env: { DB_URL: db.url, DEVLAKE_PLUGINS_PATH: '' } });
    const result = await icla.done;
    expect([result.code, result.stderr.split('\n').filter((l) => /ERROR|WARN/.test(l))]).toEqual([0, []]);
    expect(result.stdout).toContain('COMPLETED');

    expect(await showCreate(db.dal, devlakeTables)).toEqual(before);
    // DevLake's rows are still DevLake's; devlake-ts's rows are in DevLake's domain tables.
    expect(await db.dal.knex('_devlake_migration_history').select('script_name')).toEqual([{ script_name: 'init schemas' }]);
    expect(await count(db.dal, 'accounts')).toBeGreaterThanOrEqual(3000);
    expect(await db.dal.knex('accounts').where('id', 'like', 'icla:%').count({ n: '*' })).toEqual([{ n: 3000 }]);
    expect(await count(db.dal, 'repos')).toBeGreaterThan(0);
    // No devlake-ts framework table under a DevLake name; its own are there.
    expect(await db.dal.hasTable('_devlake_ts_pipelines')).toBe(true);
    expect(await count(db.dal, '_devlake_pipelines')).toBe(0);
  }, 900_000);

  it('refuses, naming the table, when a domain table it writes is missing or lacks a column, and changes nothing of DevLake', async () => {
    await db.dal.knex.raw('ALTER TABLE `accounts` DROP COLUMN `user_name`');
    await db.dal.knex.schema.dropTable('pull_request_labels');
    const before = await showCreate(db.dal, devlakeTables.filter((t) => t !== 'pull_request_labels'));
    const err = await migrateAll(db.dal, []).catch((e: unknown) => e);
    expect(hasErrorCode(err, 'DEVLAKE_E_DB_TABLE_INCOMPATIBLE')).toBe(true);
    expect((err as Error).message).toContain('missing table pull_request_labels');
    expect((err as Error).message).toContain('accounts lacks user_name');
    expect(await db.dal.hasTable('pull_request_labels')).toBe(false);
    expect(await showCreate(db.dal, devlakeTables.filter((t) => t !== 'pull_request_labels'))).toEqual(before);
  });
});
