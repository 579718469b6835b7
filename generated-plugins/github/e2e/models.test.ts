import { databases, DataFlowTester } from 'devlake-ts/testing';
import plugin from '../index';
import { githubToolModels } from '../models';
import { loadE2eManifest as loadManifest } from 'devlake-ts/testing';
import { defaultConformanceDir } from './manifest';

const manifest = loadManifest(defaultConformanceDir());
const toolTables = Object.entries(manifest.tables).filter(([t]) => t.startsWith('_tool_github_'));

describe('GitHub tool models match DevLake (manifest tables)', () => {
  it.each(toolTables)('%s has DevLake\'s primary key and columns', (table, def) => {
    const model = githubToolModels.find((m) => m.table === table);
    expect(model).toBeDefined();
    expect([...model!.primaryKey]).toEqual(def.primaryKey);
    expect([...(model!.columns ?? [])].sort()).toEqual([...def.columns].sort());
  });

  it('registers every subtask the manifest runs, under DevLake\'s names', () => {
    const names = new Set(plugin.subTaskMetas().map((m) => m.name));
    const wanted = manifest.tests.flatMap((t) => t.steps.map((s) => s.subtask ?? s.assertSubtaskEnabledByDefault).filter((n): n is string => !!n));
    expect([...new Set(wanted)].filter((n) => !names.has(n))).toEqual([]);
    expect(names.size).toBe(plugin.subTaskMetas().length);
  });

  // Collectors the manifest does not run, named as in DevLake's Go source (cicd_run_collector.go, cicd_job_collector.go).
  it('names the Actions collectors as DevLake does', () => {
    const names = plugin.subTaskMetas().map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(['Collect Workflow Runs', 'Collect Job Runs']));
    expect(names).not.toContain('Collect Jobs');
  });
});

describe.each(databases())('GitHub migrations on $name', (database) => {
  it('create every tool table with its columns and primary key, once', async () => {
    const db = await database.open();
    try {
      const tester = new DataFlowTester({ dal: db.dal, plugin });
      await tester.migrate();
      expect(await tester.migrate()).toEqual([]);
      for (const [table, def] of toolTables) {
        const info = await db.dal.knex(table).columnInfo();
        expect(Object.keys(info).sort()).toEqual([...def.columns].sort());
      }
    } finally {
      await db.drop();
    }
  });
});
