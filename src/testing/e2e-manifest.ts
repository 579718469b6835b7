import * as fs from 'node:fs';
import * as path from 'node:path';
import { DevlakeError } from '../core/errors';

/**
 * DevLake-style e2e manifests: a JSON description of Go e2e tests (imports of
 * raw/tool CSVs, flushes, subtasks, snapshot verifies), as the conformance
 * data of ../shared/conformance/<plugin>/manifest.json, run by runE2eManifest.
 */

/** One step of a manifest test: exactly one action key plus details (see the manifest's `stepKinds`). */
export interface ManifestStep {
  import?: string;
  into?: string;
  /** `raw`: a raw table; `tabler`: empty fields become NULL; `tablerNullable`: only the text `NULL` does. */
  mode?: 'raw' | 'tabler' | 'tablerNullable';
  flush?: string;
  subtask?: string;
  verify?: string;
  snapshot?: string;
  columns?: string[];
  primaryKey?: string[];
  snapshotRows?: number;
  regexEnricherAdd?: { name: string; pattern: string };
  setEnv?: Record<string, string>;
  unsetEnv?: string;
  resetExcludedUsernames?: boolean;
  query?: string;
  where?: Record<string, unknown>;
  expectCount?: number;
  expectFirstRow?: Record<string, unknown>;
  assertSubtaskEnabledByDefault?: string;
  equals?: boolean;
  /** Further keys: steps a plugin handles itself (RunE2eManifestOptions.steps). */
  [custom: string]: unknown;
}

/** One manifest test (a Go e2e test function). */
export interface ManifestTest {
  name: string;
  goTest: string;
  options?: Record<string, unknown> | null;
  regexEnricher?: Record<string, string>;
  steps: ManifestStep[];
}

/** The conformance manifest: tests plus the tables' models and keys. */
export interface Manifest {
  tests: ManifestTest[];
  tables: Record<string, { primaryKey: string[]; columns: string[] }>;
}

/** Reads and checks `manifest.json` in `dir`. */
export function loadE2eManifest(dir: string): Manifest {
  const file = path.join(dir, 'manifest.json');
  if (!fs.existsSync(file)) {
    throw new DevlakeError('DEVLAKE_E_CONFIG', `Conformance manifest not found: ${file}`, {
      hint: 'Pass the directory holding manifest.json, raw_tables/ and snapshot_tables/.',
    });
  }
  let parsed: Manifest;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  } catch (err) {
    throw new DevlakeError('DEVLAKE_E_CONFIG', `Conformance manifest ${file} is not valid JSON`, { cause: err, hint: 'Restore the manifest file.' });
  }
  if (!Array.isArray(parsed.tests) || typeof parsed.tables !== 'object') {
    throw new DevlakeError('DEVLAKE_E_CONFIG', `Conformance manifest ${file} has no tests or tables`, { hint: 'Restore the manifest file.' });
  }
  return parsed;
}
