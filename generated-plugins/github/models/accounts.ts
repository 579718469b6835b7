import { col, defineTable, noPkModelColumns } from 'devlake-ts';

/** `_tool_github_accounts`: DevLake's models.GithubAccount (backend/plugins/github/models/account.go). */
export const GithubAccount = defineTable('_tool_github_accounts', {
  connection_id: col.bigint().primaryKey(),
  id: col.bigint().primaryKey(),
  login: col.text(),
  name: col.text(),
  company: col.text(),
  email: col.text(),
  avatar_url: col.text(),
  url: col.text(),
  html_url: col.text(),
  type: col.text(),
  ...noPkModelColumns(),
});
