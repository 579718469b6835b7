import { domainTables, zeroValuesOf } from 'devlake-ts';
import type { Dal } from 'devlake-ts';
import { databases, loadE2eManifest } from 'devlake-ts/testing';
import { runConformance } from './conformance';
import { defaultConformanceDir } from './manifest';

const manifest = loadE2eManifest(defaultConformanceDir());

/**
 * DevLake's value convention over the conformance run: in every domain table a
 * test's converters fill (and no fixture imported into), a column whose Go
 * field is not a pointer holds no NULL.
 */
describe.each(databases())('GitHub conformance leaves no NULL where DevLake writes a zero value, on $name', (db) => {
  it('every converted domain table, every non-pointer column', async () => {
    const nulls: string[] = [];
    const checked = new Set<string>();
    for (const test of manifest.tests) {
      const imported = new Set(test.steps.filter((s) => s.import !== undefined).map((s) => s.into));
      const filled = [...new Set(test.steps.map((s) => s.verify).filter((t): t is string => typeof t === 'string'))].filter(
        (t) => !imported.has(t) && domainTables.some((d) => d.table === t),
      );
      const report = await runConformance({
        filter: [test.name],
        openDb: async () => {
          const fresh = await db.open();
          return {
            dal: fresh.dal,
            drop: async () => {
              for (const table of filled) nulls.push(...(await nullZeroColumns(fresh.dal, table)));
              await fresh.drop();
            },
          };
        },
      });
      expect(report.failed).toBe(0);
      for (const t of filled) checked.add(t);
    }
    expect(nulls).toEqual([]);
    // The run fills these, so the check above is not vacuous.
    expect([...checked].sort()).toEqual(
      expect.arrayContaining(['accounts', 'boards', 'cicd_pipeline_commits', 'cicd_pipelines', 'cicd_tasks', 'issue_assignees', 'issues', 'pull_request_comments', 'pull_requests', 'repos']),
    );
  });
});

/** `table.column (n rows)` for each zero-value column holding NULLs. */
async function nullZeroColumns(dal: Dal, table: string): Promise<string[]> {
  const spec = domainTables.find((d) => d.table === table)!;
  const [{ n: total }] = (await dal.knex(table).count({ n: '*' })) as Array<{ n: number | string }>;
  if (Number(total) === 0) return [`${table} is empty`];
  const out: string[] = [];
  for (const column of Object.keys(zeroValuesOf(spec))) {
    const [{ n }] = (await dal.knex(table).whereNull(column).count({ n: '*' })) as Array<{ n: number | string }>;
    if (Number(n) > 0) out.push(`${table}.${column} (${n} rows)`);
  }
  return out;
}
