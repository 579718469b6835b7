/** devlake-ts/testing: helpers for plugin tests. */
export * from './databases';
export { DataFlowTester } from './dataflow-tester';
export type { DataFlowTesterOptions, VerifyOptions, RunSubtaskOptions } from './dataflow-tester';
export { readCsv, parseCsv, writeCsv, stringifyCsv } from './csv';
export type { CsvTable } from './csv';
export { formatValue, formatTimestamp, parseTimestamp } from './format-value';
export { seededRandom } from './prng';
