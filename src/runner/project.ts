import type { Dal } from '../core/dal';

/** The domain tables DevLake's blueprint maps a project's scopes through. */
export const PROJECT_SCOPE_TABLES = ['repos', 'boards', 'cicd_scopes'] as const;

/** What `mapRunToProject` recorded. */
export interface ProjectMappingResult {
  project: string;
  /** Rows mapped, per scope table. */
  mapped: Record<string, number>;
}

/**
 * `devlake run <plugin> --project <name>`: records the project (`projects`)
 * and maps the run's scope rows to it (`project_mapping`: project_name, table,
 * row_id), as DevLake's blueprint does for a project's scopes. The run's scope
 * rows are the `repos`, `boards` and `cicd_scopes` rows the plugin converted
 * (`_raw_data_table` = `_raw_<plugin>_…`) for the run's scope: when the task
 * data has `params` (the toolkit's convention), only rows with those
 * `_raw_data_params`. Mapping rows already there are kept; idempotent.
 */
export async function mapRunToProject(dal: Dal, project: string, pluginName: string, taskData: unknown): Promise<ProjectMappingResult> {
  const params = paramsOf(taskData);
  const rawPrefix = `_raw_${pluginName}_`;
  const mapped: Record<string, number> = {};
  await dal.transaction(async (tx) => {
    const known = await tx.knex('projects').where({ name: project }).first();
    if (!known) await tx.insert('projects', [{ name: project, description: '', _raw_data_params: '', _raw_data_table: '', _raw_data_id: 0, _raw_data_remark: '' }]);
    for (const table of PROJECT_SCOPE_TABLES) {
      const query = tx.knex(table).select('id', '_raw_data_table', '_raw_data_params');
      if (params !== undefined) query.where({ _raw_data_params: params });
      const rows = ((await query) as Array<{ id: string; _raw_data_table: string | null }>).filter((r) => (r._raw_data_table ?? '').startsWith(rawPrefix));
      mapped[table] = rows.length;
      if (rows.length === 0) continue;
      await tx.upsert(
        'project_mapping',
        rows.map((r) => ({ project_name: project, table, row_id: r.id, _raw_data_params: '', _raw_data_table: '', _raw_data_id: 0, _raw_data_remark: '' })),
        { primaryKey: ['project_name', 'table', 'row_id'] },
      );
    }
  });
  return { project, mapped };
}

/** The scope params JSON the plugin stores in `_raw_data_params`, when its task data exposes `params`. */
function paramsOf(taskData: unknown): string | undefined {
  const params = (taskData as { params?: unknown } | null | undefined)?.params;
  if (params === undefined || params === null) return undefined;
  return typeof params === 'string' ? params : JSON.stringify(params);
}
