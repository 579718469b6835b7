import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hasErrorCode } from '../../src/core/errors';
import { databases, freshDatabase, TEST_PG_URL } from '../../src/testing/databases';

describe('freshDatabase', () => {
  it('makes a new SQLite file beside the one a URL names, and removes it on drop', async () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'fresh-db-test-'));
    try {
      const db = await freshDatabase(`sqlite:${path.join(base, 'sub', 'x.db')}`, 'conformance');
      const file = db.url.slice('sqlite:'.length);
      expect(path.dirname(path.dirname(file))).toBe(path.join(base, 'sub'));
      await db.dal.knex.schema.createTable('t', (t) => t.integer('a'));
      expect(fs.existsSync(file)).toBe(true);
      await db.drop();
      expect(fs.existsSync(path.dirname(file))).toBe(false);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  it('refuses a URL of another kind, password masked', async () => {
    const err = await freshDatabase('oracle://u:secretpw@h/db').catch((e: unknown) => e);
    expect(hasErrorCode(err, 'DEVLAKE_E_DB_URL')).toBe(true);
    expect((err as Error).message).toBe('Cannot make a test database from oracle://u:***@h/db');
  });

  if (databases().some((d) => d.name === 'postgres')) {
    it('makes a new Postgres schema with the prefix, and drops it', async () => {
      const db = await freshDatabase(TEST_PG_URL, 'conformance');
      const schema = new URL(db.url).searchParams.get('schema')!;
      expect(schema).toMatch(/^conformance_\d+_/);
      const exists = async () => (await db.dal.knex.raw('SELECT 1 FROM information_schema.schemata WHERE schema_name = ?', [schema])).rows.length;
      const probe = await freshDatabase(TEST_PG_URL);
      try {
        expect(await exists()).toBe(1);
        await db.drop();
        expect((await probe.dal.knex.raw('SELECT 1 FROM information_schema.schemata WHERE schema_name = ?', [schema])).rows).toEqual([]);
      } finally {
        await probe.drop();
      }
    });
  }
});
