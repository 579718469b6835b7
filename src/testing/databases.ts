import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { DevlakeError } from '../core/errors';
import { redact } from '../core/redact';
import { createDal } from '../dal/connect';
import { isConnectionError } from '../dal/connection-error';
import { dialectOf } from '../dal/dialects';
import { parseDbUrl } from '../dal/url';
import type { Dal, Dialect } from '../dal/types';

/** A throw-away database for one test: its own SQLite file, Postgres schema or MySQL database. */
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

/** MySQL / MariaDB server used by tests; override with DEVLAKE_TEST_MYSQL_URL (its database name is not used). */
export const TEST_MYSQL_URL = process.env.DEVLAKE_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/devlake_test';

/**
 * The databases every database test runs on, for `describe.each(databases())`.
 * `DEVLAKE_TEST_DBS=sqlite` (or `postgres`, `mysql`, a comma-separated list) narrows the list.
 */
export function databases(): TestDatabase[] {
  const wanted = (process.env.DEVLAKE_TEST_DBS ?? 'sqlite,postgres,mysql').split(',').map((s) => s.trim());
  const all: TestDatabase[] = [
    { name: 'sqlite', open: openSqlite },
    { name: 'postgres', open: openPostgres },
    { name: 'mysql', open: openMysql },
  ];
  return all.filter((d) => wanted.includes(d.name));
}

/** The server dialect a URL names (a schema or database per test), or undefined for SQLite and unknown schemes. */
function serverDialect(url: string): Dialect | undefined {
  if (url.startsWith('sqlite:')) return undefined;
  try {
    return parseDbUrl(url).dialect;
  } catch {
    return undefined;
  }
}

const uniqueSuffix = (): string => `${process.pid}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;

/**
 * A fresh, empty database of the kind and on the server `url` names: a new
 * schema `<prefix>_<unique>` of a Postgres URL, or a new SQLite file in a new
 * directory beside a `sqlite:` URL's file (the temp directory for
 * `sqlite::memory:`). `drop()` removes the schema or the directory.
 */
export async function freshDatabase(url: string, prefix = 'test'): Promise<TestDb> {
  const server = serverDialect(url);
  if (server) {
    const sql = dialectOf(server);
    const name = `${prefix === 'test' ? 't' : prefix}_${uniqueSuffix()}`;
    const scratchUrl = await sql.createScratch(url, name).catch((err: unknown) => {
      throw isConnectionError(err)
        ? new DevlakeError('DEVLAKE_E_DB_CONNECT', `Cannot connect to ${redact(url)}: ${redact((err as Error).message)}`, {
            hint: 'Check the URL and that the database server is running and reachable.',
            cause: err,
          })
        : err;
    });
    const dal = await createDal(scratchUrl);
    return {
      dialect: server,
      url: scratchUrl,
      dal,
      async drop() {
        await sql.dropScratch(dal.knex, name).catch(() => undefined);
        await dal.close();
      },
    };
  }
  if (url.startsWith('sqlite:')) {
    const target = url.slice('sqlite:'.length);
    const base = target && target !== ':memory:' ? path.dirname(path.resolve(target)) : os.tmpdir();
    fs.mkdirSync(base, { recursive: true });
    const dir = fs.mkdtempSync(path.join(base, `devlake-${prefix}-`));
    const fileUrl = `sqlite:${path.join(dir, `${prefix}.db`)}`;
    const dal = await createDal(fileUrl);
    return {
      dialect: 'sqlite',
      url: fileUrl,
      dal,
      async drop() {
        await dal.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  throw new DevlakeError('DEVLAKE_E_DB_URL', `Cannot make a test database from ${redact(url)}`, {
    hint: 'Use sqlite:<file> (or sqlite::memory: for the temp directory) postgres://user@host:port/db or mysql://user@host:port/db.',
  });
}

const openSqlite = (): Promise<TestDb> => freshDatabase('sqlite::memory:');
const openPostgres = (): Promise<TestDb> => freshDatabase(TEST_PG_URL);
const openMysql = (): Promise<TestDb> => freshDatabase(TEST_MYSQL_URL);
