import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultConformanceDir, SHARED_CONFORMANCE_DIR } from './manifest';

function files(dir: string, rel = ''): string[] {
  return fs
    .readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(dir, path.join(rel, e.name)) : [path.join(rel, e.name)]))
    .sort();
}

describe('vendored DevLake GitHub e2e data', () => {
  const vendored = path.join(__dirname, 'devlake-data');

  it('is the default conformance directory', () => {
    if (!process.env.GITHUB_CONFORMANCE_DIR) expect(defaultConformanceDir()).toBe(vendored);
    expect(files(vendored)).toEqual(expect.arrayContaining(['manifest.json', 'README.md']));
    expect(files(vendored).filter((f) => f.endsWith('.csv'))).toHaveLength(19 + 51);
  });

  // Guards the rule "do not edit the shared CSVs or the manifest": the copy must stay byte-identical.
  (fs.existsSync(SHARED_CONFORMANCE_DIR) ? it : it.skip)('is byte-identical to ../shared/conformance/github', () => {
    expect(files(vendored)).toEqual(files(SHARED_CONFORMANCE_DIR));
    for (const f of files(SHARED_CONFORMANCE_DIR)) {
      expect({ f, same: fs.readFileSync(path.join(vendored, f)).equals(fs.readFileSync(path.join(SHARED_CONFORMANCE_DIR, f))) }).toEqual({ f, same: true });
    }
  });
});
