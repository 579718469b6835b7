import { domainTables, zeroValuesOf } from 'devlake-ts';
import type { Dal } from 'devlake-ts';
import { databases, loadE2eManifest } from 'devlake-ts/testing';
import { defaultConformanceDir, runConformance } from './conformance';

const manifest = loadE2eManifest(defaultConformanceDir());

/** Per test: the domain tables its subtasks fill and no fixture imports into. */
const filledByTest = manifest.tests
  .map((test) => {
    const imported = new Set(test.steps.filter((s) => s.import !== undefined).map((s) => s.into));
    const verified = [...new Set(test.steps.map((s) => s.verify).filter((t): t is string => typeof t === 'string'))];
    return [test.name, verified.filter((t) => !imported.has(t) && domainTables.some((d) => d.table === t))] as const;
  })
  .filter(([, tables]) => tables.length > 0);

/**
 * DevLake's value convention over the conformance run: in every domain table a
 * test's subtasks fill (tables a fixture imports into keep the fixture's NULLs), a column whose Go field is not a pointer holds no NULL.
 */
describe.each(databases())('dora conformance leaves no NULL where DevLake writes a zero value, on $name', (db) => {
  it('covers the domain tables the dora subtasks fill', () => {
    const all = new Set(filledByTest.flatMap(([, tables]) => tables));
    expect([...all]).toEqual(
      expect.arrayContaining(['cicd_deployment_commits', 'project_incident_deployment_relationships', 'project_pr_metrics']),
    );
  });

  it.each(filledByTest)('%s: %j', async (name, tables) => {
    const nulls: string[] = [];
    const report = await runConformance({
      filter: [name],
      openDb: async () => {
        const fresh = await db.open();
        return {
          dal: fresh.dal,
          drop: async () => {
            for (const table of tables) nulls.push(...(await nullZeroColumns(fresh.dal, table)));
            await fresh.drop();
          },
        };
      },
    });
    expect(report.failed).toBe(0);
    expect(nulls).toEqual([]);
  });
});

/** `table.column (n rows)` for each zero-value column holding NULLs (and an empty table, which would check nothing). */
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
