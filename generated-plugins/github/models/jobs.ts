import { col, defineTable, noPkModelColumns } from 'devlake-ts';

/** `_tool_github_jobs`: DevLake's models.GithubJob (backend/plugins/github/models/job.go). */
export const GithubJob = defineTable('_tool_github_jobs', {
  ...noPkModelColumns(),
  connection_id: col.bigint().primaryKey(),
  repo_id: col.bigint().primaryKey(),
  id: col.bigint().primaryKey(),
  run_id: col.bigint(),
  run_url: col.text(),
  node_id: col.text(),
  head_sha: col.text(),
  url: col.text(),
  html_url: col.text(),
  status: col.text(),
  conclusion: col.text(),
  started_at: col.datetime(),
  completed_at: col.datetime(),
  name: col.text(),
  steps: col.text(),
  check_run_url: col.text(),
  labels: col.text(),
  runner_id: col.bigint(),
  runner_name: col.text(),
  runner_group_id: col.bigint(),
  type: col.text(),
  environment: col.text(),
});
