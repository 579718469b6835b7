import { addTimestamps, type MigrationScript } from 'devlake-ts';

/**
 * The tables icla starts with (DevLake's `addInitTables`): its scopes. Each
 * extractor's tool table comes in a migration of its own. Never edit this once
 * applied (its checksum is checked): add a new migration instead.
 */
export const addInitTables: MigrationScript = {
  version: 20261125124200,
  name: 'add_init_tables',
  async up(db) {
    await db.schema.createTable('_tool_icla_scopes', (t) => {
      t.string('scope', 255).primary();
      addTimestamps(t, db);
    });
  },
};
