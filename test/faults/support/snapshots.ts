import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Dal } from 'devlake-ts';
import { dialectOf } from '../../../src/dal/dialects';

/** Every file under `root` (path → sha256), so a test can prove nothing on disk changed. */
export function diskSnapshot(...roots: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        out[`${p}/`] = 'dir';
        walk(p);
      } else out[p] = createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  for (const r of roots) walk(r);
  return out;
}

/** The names of the tables of the database (the current schema on Postgres). */
export async function tableNames(dal: Dal): Promise<string[]> {
  return (await dialectOf(dal.dialect).tableNames(dal.knex)).sort();
}

/** Every table and every row, in a stable order: equal dumps mean an unchanged database. */
export async function databaseDump(dal: Dal): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of await tableNames(dal)) {
    const rows = (await dal.knex(table).select('*')) as Array<Record<string, unknown>>;
    out[table] = rows.map((r) => JSON.stringify(r, Object.keys(r).sort())).sort();
  }
  return out;
}
