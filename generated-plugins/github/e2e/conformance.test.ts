import { databases } from 'devlake-ts/testing';
import { loadManifest, defaultConformanceDir } from './manifest';
import { runConformance } from './conformance';

const manifest = loadManifest(defaultConformanceDir());

describe.each(databases())('GitHub conformance with DevLake e2e data on $name', (db) => {
  it.each(manifest.tests.map((t) => t.name))('%s', async (name) => {
    const report = await runConformance({ openDb: db.open, filter: [name] });
    const [result] = report.tests;
    const problems = [result.error, ...result.tables.filter((t) => t.error).map((t) => t.error)].filter(Boolean).join('\n\n');
    expect(problems).toBe('');
    expect(result.passed).toBe(true);
    expect(result.tables.length).toBeGreaterThan(name === 'commit' ? -1 : 0);
  });
});
