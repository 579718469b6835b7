import * as path from 'node:path';
import { ESLint, type Linter } from 'eslint';
import { planCollector, planConverter, planExtractor, planPlugin, type PluginsView } from '../src/generator/plan';
import type { GeneratedFile } from '../src/generator/write-files';

const root = path.resolve(__dirname, '..');

/** An in-memory plugins folder over planned files. */
function view(files: GeneratedFile[]): PluginsView {
  const map = new Map(files.map((f) => [f.path, f.content]));
  return {
    read: (p) => map.get(p),
    list: (dir) => [...map.keys()].filter((p) => p.startsWith(`${dir}/`) && !p.slice(dir.length + 1).includes('/')).map((p) => p.slice(dir.length + 1)).sort(),
  };
}

function withPlan(state: GeneratedFile[], plan: GeneratedFile[]): GeneratedFile[] {
  const map = new Map(state.map((f) => [f.path, f]));
  for (const f of plan) if (!(f.policy === 'keep' && map.has(f.path))) map.set(f.path, f);
  return [...map.values()];
}

// The repository's tree is linted by `npm run lint` (.ci/run); this checks what the generator writes.
describe('ESLint', () => {
  it('passes on a freshly generated plugin with a collector, an extractor and a converter', async () => {
    let files = planPlugin({ name: 'probe', withApiClient: true, endpoint: 'https://example.com/api/', initVersion: 20240101000000 });
    files = withPlan(files, planCollector(view(files), { plugin: 'probe', name: 'items', httpPath: 'items', pagination: 'page' }));
    files = withPlan(files, planExtractor(view(files), { plugin: 'probe', name: 'item', collector: 'items', model: 'item', version: 20240101000001 }));
    files = withPlan(files, planConverter(view(files), { plugin: 'probe', name: 'item', domainTable: 'issues' }));
    // The repository's config, passed in directly: ESLint's own loader needs dynamic import(), which jest lacks.
    const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: require('../eslint.config.js') as Linter.Config[] });
    const ts = files.filter((f) => f.path.endsWith('.ts'));
    expect(ts.length).toBeGreaterThan(5);
    const problems: string[] = [];
    for (const f of ts) {
      // Linted as if it sat in generated-plugins/, where the config applies to plugins.
      for (const r of await eslint.lintText(f.content, { filePath: path.join(root, 'generated-plugins', f.path) })) {
        for (const m of r.messages) problems.push(`${f.path}:${m.line}:${m.column} ${m.ruleId ?? ''} ${m.message}`);
      }
    }
    expect(problems).toEqual([]);
    // The same set-up does report a problem (an unused variable), so an empty list means clean.
    const [bad] = await eslint.lintText('const unused = 1;\n', { filePath: path.join(root, 'generated-plugins', 'probe', 'bad.ts') });
    expect(bad!.messages.map((m) => m.ruleId)).toEqual(['@typescript-eslint/no-unused-vars']);
  });
});
