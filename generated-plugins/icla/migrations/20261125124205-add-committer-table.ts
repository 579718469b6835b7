import { addNoPkModelColumns, type MigrationScript } from 'devlake-ts';

/** Creates `_tool_icla_committer` with the provenance columns every tool table carries. */
export const addCommitterTable: MigrationScript = {
  version: 20261125124205,
  name: 'add_committer_table',
  async up(db) {
    await db.schema.createTable('_tool_icla_committer', (t) => {
      t.string('user_name', 255).primary();
      t.string('name', 255);
      addNoPkModelColumns(t, db);
    });
  },
};
