import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultPluginsDir, fsView, pluginsRoot } from '../../src/generator/locate';

const ROOT = path.resolve(__dirname, '..', '..');

describe('defaultPluginsDir', () => {
  it('is generated-plugins/ anywhere inside the toolkit checkout', () => {
    expect(defaultPluginsDir(ROOT)).toBe(path.join(ROOT, 'generated-plugins'));
    expect(defaultPluginsDir(path.join(ROOT, 'src', 'generator'))).toBe(path.join(ROOT, 'generated-plugins'));
  });

  it('is ./plugins/ in any other project, and --dir wins', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devlake-locate-'));
    try {
      fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"my-project"}');
      fs.mkdirSync(path.join(dir, 'sub'));
      expect(defaultPluginsDir(dir)).toBe(path.join(dir, 'plugins'));
      expect(defaultPluginsDir(path.join(dir, 'sub'))).toBe(path.join(dir, 'sub', 'plugins'));
      expect(pluginsRoot('out', dir)).toBe(path.join(dir, 'out'));
      expect(fsView(dir).read('package.json')).toBe('{"name":"my-project"}');
      expect(fsView(dir).read('nope.ts')).toBeUndefined();
      expect(fsView(dir).list('.')).toEqual(['package.json', 'sub']);
      expect(fsView(dir).list('missing')).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
