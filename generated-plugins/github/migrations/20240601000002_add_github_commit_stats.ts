import type { Knex } from 'knex';
import { addNoPkModelColumns, type MigrationScript } from 'devlake-ts';

/** `_tool_github_commit_stats` (DevLake's models.GithubCommitStat): per-commit line counts. */
export const addGithubCommitStats: MigrationScript = {
  version: 20240601000002,
  name: 'add_github_commit_stats',
  async up(db: Knex) {
    await db.schema.createTable('_tool_github_commit_stats', (t) => {
      t.bigInteger('connection_id');
      t.string('sha', 40);
      t.bigInteger('additions');
      t.bigInteger('deletions');
      t.timestamp('committed_date', { useTz: true });
      addNoPkModelColumns(t, db);
      t.primary(['connection_id', 'sha']);
    });
  },
};
