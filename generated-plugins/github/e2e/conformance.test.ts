import { databases, loadE2eManifest } from 'devlake-ts/testing';
import { runConformance } from './conformance';
import { defaultConformanceDir } from './manifest';

const manifest = loadE2eManifest(defaultConformanceDir());

// Apache DevLake's own GitHub e2e data: every manifest test on a fresh database of each kind.
describe.each(databases())('GitHub conformance with DevLake e2e data on $name', (db) => {
  it.each(manifest.tests.map((t) => [t.name, t.steps.filter((s) => s.verify || s.query).length] as const))(
    '%s (%i tables checked)',
    async (name, checks) => {
      const report = await runConformance({ openDb: db.open, filter: [name] });
      const [result] = report.tests;
      const problems = [result.error, ...result.tables.map((t) => t.error)].filter(Boolean).join('\n\n');
      expect(problems).toBe('');
      expect(result.tables).toHaveLength(checks);
      expect(result.tables.every((t) => t.actualRows === t.expectedRows && t.mismatches === 0)).toBe(true);
      expect(result.passed).toBe(true);
    },
  );
});
