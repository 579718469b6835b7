import { databases, loadE2eManifest } from 'devlake-ts/testing';
import { defaultConformanceDir, runConformance } from './conformance';

const manifest = loadE2eManifest(defaultConformanceDir());

// Apache DevLake's own dora e2e data: every manifest test on a fresh database of each kind.
describe.each(databases())('dora conformance with DevLake e2e data on $name', (db) => {
  it('has the four tests of the manifest', () => {
    expect(manifest.tests.map((t) => t.name)).toEqual(['calculate_change_lead_time', 'connect_incident_to_deploy', 'deployment_commits_generator', 'prev_deployment_commit_enricher']);
  });

  it.each(manifest.tests.map((t) => [t.name, t.steps.filter((s) => s.verify).length] as const))('%s (%i tables checked)', async (name, checks) => {
    const report = await runConformance({ openDb: db.open, filter: [name] });
    const [result] = report.tests;
    const problems = [result!.error, ...result!.tables.map((t) => t.error)].filter(Boolean).join('\n\n');
    expect(problems).toBe('');
    expect(result!.tables).toHaveLength(checks);
    expect(result!.tables.every((t) => t.actualRows === t.expectedRows && t.mismatches === 0)).toBe(true);
    expect(result!.passed).toBe(true);
  });
});
