/**
 * The Dal contract now lives in core/ (core/dal.ts), so core/ never imports
 * dal/; this module re-exports it for code that imported it from here.
 */
export type { Dal, Dialect, MigrationScript, StreamOptions, TransactionOptions, UpsertOptions } from '../core/dal';
