import { tablesMigration } from 'devlake-ts';
import { IclaCommitter } from '../models/committer';

/** Creates `_tool_icla_committer` with the provenance columns every tool table carries. */
export const addCommitterTable = tablesMigration(20261125124205, 'add_committer_table', [IclaCommitter], {
  // The same table as this script's earlier hand-written DDL.
  acceptedChecksums: ['7206d96b4e33c6372a41a8fe3d6e3cede983ca0280f5b2125e1ffa77736a38fd'],
});
