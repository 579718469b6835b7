import { tablesMigration } from 'devlake-ts';
import { IclaScope } from '../models/scope';

/**
 * The tables icla starts with (DevLake's `addInitTables`): its scopes. Each
 * extractor's tool table comes in a migration of its own. Never edit a table
 * once applied (the checksum covers it): add a new migration instead.
 */
export const addInitTables = tablesMigration(20261125124200, 'add_init_tables', [IclaScope], {
  // The same table as this script's earlier hand-written DDL.
  acceptedChecksums: ['87c589224ffaa0524acfc03a444c29ff3b15836ea9c2e7ca697e8a5d0ddb78de'],
});
