import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createDal } from '../dal/connect';
import type { Dal, Dialect } from '../dal/types';

/** A throw-away database for one test: its own SQLite file or its own Postgres schema. */
export interface TestDb {
  dialect: Dialect;
  /** A URL that opens the same database (e.g. for a child `devlake` process). */
  url: string;
  dal: Dal;
  /** Closes the connection and removes the file or schema. */
  drop(): Promise<void>;
}

/** A database kind that tests run on. */
export interface TestDatabase {
  name: Dialect;
  /** Makes a fresh, empty database. */
  open(): Promise<TestDb>;
}

/** Postgres server used by tests; override with DEVLAKE_TEST_PG_URL. */
export const TEST_PG_URL = process.env.DEVLAKE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * The databases every database test runs on, for `describe.each(databases())`.
 * `DEVLAKE_TEST_DBS=sqlite` (or `postgres`) narrows the list.
 */
export function databases(): TestDatabase[] {
  const wanted = (process.env.DEVLAKE_TEST_DBS ?? 'sqlite,postgres').split(',').map((s) => s.trim());
  const all: TestDatabase[] = [
    { name: 'sqlite', open: openSqlite },
    { name: 'postgres', open: openPostgres },
  ];
  return all.filter((d) => wanted.includes(d.name));
}

const uniqueSuffix = (): string => `${process.pid}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;

async function openSqlite(): Promise<TestDb> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-test-'));
  const url = `sqlite:${path.join(dir, 'test.db')}`;
  const dal = await createDal(url);
  return {
    dialect: 'sqlite',
    url,
    dal,
    async drop() {
      await dal.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openPostgres(): Promise<TestDb> {
  const schema = `t_${uniqueSuffix()}`;
  const base = new URL(TEST_PG_URL);
  base.searchParams.set('schema', schema);
  const url = base.toString();
  const dal = await createDal(url);
  return {
    dialect: 'postgres',
    url,
    dal,
    async drop() {
      await dal.knex.raw('DROP SCHEMA IF EXISTS ?? CASCADE', [schema]).catch(() => undefined);
      await dal.close();
    },
  };
}
