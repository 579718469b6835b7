import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultConformanceDir, SHARED_CONFORMANCE_DIR } from './conformance';

function files(dir: string, rel = ''): string[] {
  return fs
    .readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(dir, path.join(rel, e.name)) : [path.join(rel, e.name)]))
    .sort();
}

const sha256 = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const sumsOf = (dir: string): Map<string, string> => new Map(files(dir).map((f) => [f.split(path.sep).join('/'), sha256(path.join(dir, f))]));

/** `devlake-data.sha256`: `sha256sum` of ../shared/conformance/dora, taken when the data was vendored. */
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

describe('vendored DevLake dora e2e data', () => {
  const vendored = path.join(__dirname, 'devlake-data');

  it('is the default conformance directory, with all 31 CSV files', () => {
    if (!process.env.DORA_CONFORMANCE_DIR) expect(defaultConformanceDir()).toBe(vendored);
    expect(files(vendored).filter((f) => f.endsWith('.csv'))).toHaveLength(31);
  });

  it('is byte-identical to the original (recorded SHA-256 sums)', () => {
    expect(recordedSums().size).toBe(33);
    expect(sumsOf(vendored)).toEqual(recordedSums());
  });

  for (const shared of [SHARED_CONFORMANCE_DIR].filter((d) => fs.existsSync(d))) {
    it('matches ../shared/conformance/dora, byte for byte', () => {
      expect(sumsOf(shared)).toEqual(recordedSums());
    });
  }
});
