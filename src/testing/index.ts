/** devlake-ts/testing: helpers for plugin tests. */
export * from './databases';
export { DataFlowTester } from './dataflow-tester';
export type { DataFlowTesterOptions, VerifyOptions, RunSubtaskOptions } from './dataflow-tester';
export { readCsv, parseCsv, writeCsv, stringifyCsv } from './csv';
export type { CsvTable } from './csv';
export { formatValue, formatTimestamp, parseTimestamp } from './format-value';
export { seededRandom } from './prng';
export { loadE2eManifest } from './e2e-manifest';
export type { Manifest as E2eManifest, ManifestStep as E2eManifestStep, ManifestTest as E2eManifestTest } from './e2e-manifest';
export { runE2eManifest, runE2eTest } from './run-e2e-manifest';
export type { E2eReport, E2eStepEnv, E2eTableResult, E2eTestResult, RunE2eManifestOptions } from './run-e2e-manifest';
