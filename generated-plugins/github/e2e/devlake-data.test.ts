import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { defaultConformanceDir, SHARED_CONFORMANCE_DIR } from './manifest';

function files(dir: string, rel = ''): string[] {
  return fs
    .readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(dir, path.join(rel, e.name)) : [path.join(rel, e.name)]))
    .sort();
}

const sha256 = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** `devlake-data.sha256`: `sha256sum` of ../shared/conformance/github, taken when the data was vendored. */
function recordedSums(): Map<string, string> {
  const text = fs.readFileSync(path.join(__dirname, 'devlake-data.sha256'), 'utf8');
  return new Map(
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [sum, file] = line.split(/\s+\*?/, 2);
        return [file!, sum!] as [string, string];
      }),
  );
}

const sumsOf = (dir: string): Map<string, string> => new Map(files(dir).map((f) => [f.split(path.sep).join('/'), sha256(path.join(dir, f))]));

describe('vendored DevLake GitHub e2e data', () => {
  const vendored = path.join(__dirname, 'devlake-data');

  it('is the default conformance directory', () => {
    if (!process.env.GITHUB_CONFORMANCE_DIR) expect(defaultConformanceDir()).toBe(vendored);
    expect(files(vendored)).toEqual(expect.arrayContaining(['manifest.json', 'README.md']));
    expect(files(vendored).filter((f) => f.endsWith('.csv'))).toHaveLength(19 + 51);
  });

  // Guards the rule "do not edit the shared CSVs or the manifest" on every checkout, the original present or not.
  it('is byte-identical to the original (recorded SHA-256 sums)', () => {
    const recorded = recordedSums();
    expect(recorded.size).toBe(72);
    expect(sumsOf(vendored)).toEqual(recorded);
  });

  // Where ../shared/conformance/github is present, the recorded sums are checked against it too.
  for (const shared of [SHARED_CONFORMANCE_DIR].filter((d) => fs.existsSync(d))) {
    it('matches ../shared/conformance/github, byte for byte', () => {
      expect(sumsOf(shared)).toEqual(recordedSums());
    });
  }
});
