import { col, defineTable, noPkModelColumns } from '../core/table';

/**
 * DevLake's projects (backend/core/models/project.go, commit 420e494b): a
 * project groups scopes, whose domain rows `project_mapping` ties to it
 * (table + row id); dashboards and enrichment plugins (dora) select by project.
 * These are DevLake's own tables, kept under DevLake's names so SQL written for
 * DevLake runs unchanged.
 */

/** `projects`: one row per project (`devlake run <plugin> --project <name>` records it). */
export const Project = defineTable('projects', {
  name: col.string(255).primaryKey(),
  description: col.text(),
  ...noPkModelColumns(),
});

/** `project_metric_settings`: which metric plugins (e.g. `dora`) a project enables, with their options. */
export const ProjectMetricSetting = defineTable('project_metric_settings', {
  project_name: col.string(255).primaryKey(),
  plugin_name: col.string(255).primaryKey(),
  plugin_option: col.json(),
  enable: col.bool(),
  ...noPkModelColumns(),
});
