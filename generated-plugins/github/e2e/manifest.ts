import * as path from 'node:path';

/**
 * Where the conformance data lives: `GITHUB_CONFORMANCE_DIR`, else the verbatim copy in `e2e/devlake-data/`
 * (vendored so a clean clone needs nothing outside the repository; `devlake-data.test.ts` checks it byte for
 * byte against `../shared/conformance/github` when that exists).
 */
export function defaultConformanceDir(): string {
  if (process.env.GITHUB_CONFORMANCE_DIR) return path.resolve(process.env.GITHUB_CONFORMANCE_DIR);
  return path.join(__dirname, 'devlake-data');
}

/** The shared original of the data, next to the repository, when present. */
export const SHARED_CONFORMANCE_DIR = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'conformance', 'github');
