/** devlake-ts/testing: helpers for plugin tests. */
export * from './databases';
