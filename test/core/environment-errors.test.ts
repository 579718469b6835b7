import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { environmentProblem } from '../../src/core/environment-errors';
import { hasErrorCode } from '../../src/core/errors';
import { createDal } from '../../src/dal/connect';
import { migrate } from '../../src/dal/migrator';
import type { Dal } from '../../src/dal/types';

/** Real failures of the environment get the hint of their cause, not of the step that met them. */
describe('environment problems', () => {
  let dir: string;
  let dal: Dal | undefined;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-env-'));
  });
  afterEach(async () => {
    await dal?.close();
    dal = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const failedMigration = async (up: (db: import('knex').Knex) => Promise<void>) => {
    dal = await createDal(`sqlite:${path.join(dir, 'env.db')}`);
    return migrate(dal, [{ owner: 'plugin:env', scripts: [{ version: 1, name: 'fill', up }] }]).catch((e: unknown) => e);
  };

  it('a disk that fills up during a migration: DEVLAKE_E_DB_MIGRATION with a disk-full hint, not "Fix the script"', async () => {
    const err = await failedMigration(async (db) => {
      // SQLite's own limit on the file size: the same SQLITE_FULL a full disk gives.
      await db.raw('PRAGMA max_page_count = 8');
      await db.schema.createTable('big', (t) => t.text('v'));
      for (let i = 0; i < 50; i++) await db('big').insert({ v: 'x'.repeat(4000) });
    });
    expect(hasErrorCode(err, 'DEVLAKE_E_DB_MIGRATION')).toBe(true);
    expect((err as Error).message).toContain('database or disk is full');
    expect((err as { hint: string }).hint).toMatch(/^The disk is full/);
    expect(environmentProblem(err)?.kind).toBe('disk-full');
  });

  it('a read-only SQLite file: a read-only hint', () => {
    const file = path.join(dir, 'ro.db');
    new Database(file).exec('CREATE TABLE t (v TEXT)');
    const ro = new Database(file, { readonly: true });
    let err: unknown;
    try {
      ro.exec("INSERT INTO t VALUES ('x')");
    } catch (e) {
      err = e;
    } finally {
      ro.close();
    }
    expect((err as { code?: string }).code).toBe('SQLITE_READONLY');
    expect(environmentProblem(err)?.hint).toMatch(/^The file or its file system is read-only/);
  });

  it('a SQLite URL naming a file that is not a database: DEVLAKE_E_DB_CONNECT with that hint, not "server is running"', async () => {
    const file = path.join(dir, 'notes.db');
    fs.writeFileSync(file, 'my notes\n'.repeat(200));
    const err = await createDal(`sqlite:${file}`).catch((e: unknown) => e);
    expect(hasErrorCode(err, 'DEVLAKE_E_DB_CONNECT')).toBe(true);
    expect((err as { hint: string }).hint).toMatch(/^The file is not a SQLite database/);
    expect((err as { hint: string }).hint).not.toContain('server');
  });

  it('file-system errors: not a directory, read-only file system, permission denied', () => {
    const file = path.join(dir, 'afile');
    fs.writeFileSync(file, '');
    let notDir: unknown;
    try {
      fs.mkdirSync(path.join(file, 'sub'));
    } catch (e) {
      notDir = e;
    }
    expect(environmentProblem(notDir)).toMatchObject({ kind: 'not-a-directory', path: path.join(file, 'sub') });
    // As node reports them (root cannot provoke these in a test).
    expect(environmentProblem(Object.assign(new Error("EROFS: read-only file system, open '/ro/x'"), { code: 'EROFS', path: '/ro/x' }))?.kind).toBe('read-only');
    expect(environmentProblem(Object.assign(new Error("EACCES: permission denied, open '/x'"), { code: 'EACCES', path: '/x' }))?.kind).toBe('permission');
    expect(environmentProblem(new Error('some bug'))).toBeUndefined();
  });
});
