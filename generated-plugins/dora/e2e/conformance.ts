import * as path from 'node:path';
import { loadE2eManifest, runE2eManifest } from 'devlake-ts/testing';
import type { E2eReport, RunE2eManifestOptions } from 'devlake-ts/testing';
import plugin from '../index';
import type { DoraTaskData } from '../task-data';

/**
 * Where DevLake's dora e2e data lives: `DORA_CONFORMANCE_DIR`, else the
 * verbatim copy in `e2e/devlake-data/` (vendored so a clean clone needs
 * nothing outside the repository; `devlake-data.test.ts` checks it byte for byte).
 */
export function defaultConformanceDir(): string {
  if (process.env.DORA_CONFORMANCE_DIR) return path.resolve(process.env.DORA_CONFORMANCE_DIR);
  return path.join(__dirname, 'devlake-data');
}

/** The shared original of the data, next to the repository, when present. */
export const SHARED_CONFORMANCE_DIR = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'conformance', 'dora');

/** Options of `runConformance`. */
export interface ConformanceOptions extends Pick<RunE2eManifestOptions, 'dbUrl' | 'openDb' | 'filter' | 'onResult'> {
  /** The conformance data directory. Default: `defaultConformanceDir()`. */
  dir?: string;
}

/**
 * Runs DevLake's dora e2e manifest (or the selected tests) against the plugin,
 * each test on a fresh, migrated database: CSV fixtures into domain tables
 * (`tablerNullable` keeps empty fields as ''), one subtask, snapshot verifies.
 */
export async function runConformance(opts: ConformanceOptions = {}): Promise<E2eReport> {
  const dir = opts.dir ?? defaultConformanceDir();
  return runE2eManifest<DoraTaskData>(loadE2eManifest(dir), plugin, { ...opts, dir });
}
