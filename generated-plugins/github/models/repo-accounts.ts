import { col, defineTable, noPkModelColumns } from 'devlake-ts';

/** `_tool_github_repo_accounts`: DevLake's models.GithubRepoAccount (backend/plugins/github/models/repo_account.go). */
export const GithubRepoAccount = defineTable('_tool_github_repo_accounts', {
  connection_id: col.bigint().primaryKey(),
  account_id: col.bigint().primaryKey(),
  repo_github_id: col.bigint().primaryKey(),
  login: col.text(),
  ...noPkModelColumns(),
});
