import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoverPlugins, EXAMPLES_DIR, pluginSearchPath, TOOLKIT_ROOT } from '../../src/runner/discover';

describe('plugin search path and the bundled examples', () => {
  let project: string;
  const saved = process.env.DEVLAKE_EXAMPLES;
  beforeEach(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-project-'));
    delete process.env.DEVLAKE_EXAMPLES;
  });
  afterEach(() => {
    fs.rmSync(project, { recursive: true, force: true });
    if (saved === undefined) delete process.env.DEVLAKE_EXAMPLES;
    else process.env.DEVLAKE_EXAMPLES = saved;
  });
  const names = (dirs: string[]) => discoverPlugins(dirs).map((p) => p.name);

  it("a project with its own ./plugins does not see icla and github unless asked", () => {
    fs.mkdirSync(path.join(project, 'plugins', 'mine'), { recursive: true });
    fs.writeFileSync(path.join(project, 'plugins', 'mine', 'index.ts'), 'export default {};\n');
    expect(pluginSearchPath(project, undefined, 'auto')).toEqual([path.join(project, 'plugins')]);
    expect(names(pluginSearchPath(project, undefined, 'auto'))).toEqual(['mine']);
    expect(names(pluginSearchPath(project, undefined, 'always'))).toEqual(expect.arrayContaining(['mine', 'icla', 'github']));
    process.env.DEVLAKE_EXAMPLES = '1';
    expect(pluginSearchPath(project, undefined, 'named-only')).toContain(EXAMPLES_DIR);
  });

  it('DEVLAKE_PLUGINS_PATH counts as plugins of its own', () => {
    expect(pluginSearchPath(project, 'elsewhere', 'auto')).toEqual([path.join(project, 'elsewhere'), path.join(project, 'plugins')]);
  });

  it('an empty folder finds the examples by name (auto), but a migrate of everything does not (named-only)', () => {
    expect(pluginSearchPath(project, undefined, 'auto')).toContain(EXAMPLES_DIR);
    expect(pluginSearchPath(project, undefined, 'named-only')).not.toContain(EXAMPLES_DIR);
  });

  it("inside the toolkit's checkout the examples are always there (the README's quick start)", () => {
    expect(pluginSearchPath(TOOLKIT_ROOT, undefined, 'named-only')).toContain(EXAMPLES_DIR);
    expect(pluginSearchPath(path.join(TOOLKIT_ROOT, 'docs'), 'x', 'auto')).toContain(EXAMPLES_DIR);
  });
});
