import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createDal, DevlakeError, redact } from 'devlake-ts';
import type { FreshDb } from './conformance';

/**
 * A fresh, empty database on the server or kind named by `url`: a new schema
 * of a Postgres URL (dropped afterwards), or a new SQLite file for a `sqlite:`
 * URL (in the URL's directory, removed afterwards).
 */
export async function freshDatabase(url: string): Promise<FreshDb> {
  const suffix = `${process.pid}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  if (/^postgres(ql)?:\/\//.test(url)) {
    const u = new URL(url);
    const schema = `conformance_${suffix}`;
    u.searchParams.set('schema', schema);
    const dal = await createDal(u.toString());
    return {
      dal,
      async drop() {
        await dal.knex.raw('DROP SCHEMA IF EXISTS ?? CASCADE', [schema]).catch(() => undefined);
        await dal.close();
      },
    };
  }
  if (url.startsWith('sqlite:')) {
    const target = url.slice('sqlite:'.length);
    const base = target && target !== ':memory:' ? path.dirname(path.resolve(target)) : os.tmpdir();
    fs.mkdirSync(base, { recursive: true });
    const dir = fs.mkdtempSync(path.join(base, 'devlake-conformance-'));
    const dal = await createDal(`sqlite:${path.join(dir, `github_${suffix}.db`)}`);
    return {
      dal,
      async drop() {
        await dal.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  throw new DevlakeError('DEVLAKE_E_DB_URL', `Unsupported database URL for conformance: ${redact(url)}`, {
    hint: 'Use sqlite:<file> or postgres://user@host:port/db.',
  });
}
