import { col, defineTable, noPkModelColumns } from 'devlake-ts';

/** `_tool_github_repos`: DevLake's models.GithubRepo (backend/plugins/github/models/repo.go). */
export const GithubRepo = defineTable('_tool_github_repos', {
  ...noPkModelColumns(),
  connection_id: col.bigint().primaryKey(),
  scope_config_id: col.bigint(),
  github_id: col.bigint().primaryKey(),
  name: col.text(),
  full_name: col.text(),
  html_url: col.text(),
  description: col.text(),
  owner_id: col.bigint(),
  language: col.text(),
  parent_github_id: col.bigint(),
  parent_html_url: col.text(),
  clone_url: col.text(),
  created_date: col.datetime(),
  updated_date: col.datetime(),
});
