import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hasErrorCode } from 'devlake-ts';
import { discoverPlugins, pluginSearchPath } from '../../src/runner/discover';
import { findPlugin, loadPlugin, validatePlugin } from '../../src/runner/load-plugin';

describe('plugin discovery and loading', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-plugins-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('searches DEVLAKE_PLUGINS_PATH, then ./plugins, then the toolkit plugins', () => {
    const dirs = pluginSearchPath('/work/x', ['/a', 'b'].join(path.delimiter), 'always');
    expect(dirs.slice(0, 3)).toEqual(['/a', '/work/x/b', '/work/x/plugins']);
    expect(dirs[3]).toMatch(/generated-plugins$/);
    // Without --examples, plugins of its own (DEVLAKE_PLUGINS_PATH) leave the bundled examples out.
    expect(pluginSearchPath('/work/x', ['/a', 'b'].join(path.delimiter))).toEqual(['/a', '/work/x/b', '/work/x/plugins']);
  });

  it('finds plugin directories with an index file and ignores others', () => {
    fs.mkdirSync(path.join(tmp, 'good'));
    fs.writeFileSync(path.join(tmp, 'good', 'index.js'), 'module.exports = {}');
    fs.mkdirSync(path.join(tmp, 'empty'));
    expect(discoverPlugins([tmp]).map((p) => p.name)).toEqual(['good']);
  });

  it('names the existing plugins when one is missing', () => {
    fs.mkdirSync(path.join(tmp, 'alpha'));
    fs.writeFileSync(path.join(tmp, 'alpha', 'index.js'), 'module.exports = {}');
    try {
      findPlugin('nope', [tmp]);
      throw new Error('expected an error');
    } catch (err) {
      expect(hasErrorCode(err, 'DEVLAKE_E_PLUGIN_NOT_FOUND')).toBe(true);
      expect((err as { hint: string }).hint).toContain('Available plugins: alpha');
    }
  });

  it('reports every missing member of an invalid plugin at once', () => {
    expect(() => validatePlugin('bad', { name: 'bad' })).toThrow(/description.*PluginMeta.*subTaskMetas/);
    expect(() => validatePlugin('bad', { name: 'bad', description: 'd', subTaskMetas: () => [{ name: 'x' }], prepareTaskData: () => ({}) })).toThrow(
      /subtask #1 needs name, entryPoint/,
    );
  });

  it('refuses dependencies on unknown or later subtasks', () => {
    const meta = (name: string, dependencies?: string[]) => ({ name, entryPoint: async () => undefined, enabledByDefault: true, description: name, domainTypes: [], dependencies });
    const plugin = (metas: unknown[]) => ({ name: 'p', description: 'd', subTaskMetas: () => metas, prepareTaskData: () => ({}) });
    expect(() => validatePlugin('p', plugin([meta('Collect'), meta('Extract', ['Collect'])]))).not.toThrow();
    expect(() => validatePlugin('p', plugin([meta('Extract', ['Collect']), meta('Collect')]))).toThrow(/"Extract" depends on "Collect", which is listed after it/);
    expect(() => validatePlugin('p', plugin([meta('Extract', ['Nope'])]))).toThrow(/depends on unknown subtask "Nope"/);
  });

  it('wraps a module that throws on load in DEVLAKE_E_PLUGIN_LOAD', () => {
    fs.mkdirSync(path.join(tmp, 'boom'));
    fs.writeFileSync(path.join(tmp, 'boom', 'index.js'), 'throw new Error("kaboom")');
    try {
      loadPlugin(findPlugin('boom', [tmp]));
      throw new Error('expected an error');
    } catch (err) {
      expect(hasErrorCode(err, 'DEVLAKE_E_PLUGIN_LOAD')).toBe(true);
      expect((err as Error).message).toContain('kaboom');
    }
  });

  it('loads a TypeScript plugin that imports devlake-ts by package name', () => {
    const { plugin } = loadPlugin(findPlugin('demo', [path.join(__dirname, '..', 'fixtures', 'plugins')]));
    expect(plugin.name).toBe('demo');
    expect(plugin.subTaskMetas!().map((m) => m.name)).toContain('Write Numbers');
  });
});
