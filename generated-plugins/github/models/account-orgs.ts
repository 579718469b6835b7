import { col, defineTable, noPkModelColumns } from 'devlake-ts';

/** `_tool_github_account_orgs`: DevLake's models.GithubAccountOrg (backend/plugins/github/models/account_org.go). */
export const GithubAccountOrg = defineTable('_tool_github_account_orgs', {
  connection_id: col.bigint().primaryKey(),
  account_id: col.bigint().primaryKey(),
  org_id: col.bigint().primaryKey(),
  org_login: col.text(),
  ...noPkModelColumns(),
});
