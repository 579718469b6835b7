import { col, defineTable, noPkModelColumns } from 'devlake-ts';

/** `_tool_github_milestones`: DevLake's models.GithubMilestone (backend/plugins/github/models/milestone.go). */
export const GithubMilestone = defineTable('_tool_github_milestones', {
  connection_id: col.bigint().primaryKey(),
  milestone_id: col.bigint().primaryKey(),
  repo_id: col.bigint(),
  number: col.bigint(),
  url: col.text(),
  title: col.text(),
  open_issues: col.bigint(),
  closed_issues: col.bigint(),
  state: col.text(),
  github_created_at: col.datetime(),
  github_updated_at: col.datetime(),
  closed_at: col.datetime(),
  ...noPkModelColumns(),
});
