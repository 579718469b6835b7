import { columnTypes, DataConverter, ProjectIncidentDeploymentRelationship, readRows } from 'devlake-ts';
import type { SubTaskContext, SubTaskMeta } from 'devlake-ts';
import type { DoraTaskData } from '../task-data';
import { PRODUCTION, projectRowIds, SUCCESS } from './shared';

interface IncidentInput {
  id: string;
  created_date: Date | null;
}

interface Candidate {
  deploymentId: string;
  finished: number;
}

/**
 * DevLake's dora ConnectIncidentToDeployment: each incident of the project
 * (its `table`/`scope_id` pair mapped to it) is tied to the deployment that
 * last finished successfully in production before the incident was created
 * (`deployment_id` = the deployment commit's `cicd_deployment_id`). An
 * incident with no such deployment gets no row. The project's earlier rows are
 * deleted first.
 */
export async function connectIncidentToDeployment(ctx: SubTaskContext<DoraTaskData>): Promise<void> {
  const { options, params } = ctx.getData();
  const project = options.projectName;
  const knex = ctx.db.knex;
  await knex('project_incident_deployment_relationships').where({ project_name: project }).delete();

  const candidates = readRows<{ cicd_deployment_id: string | null; finished_date: Date }>(ctx.db, await knex('cicd_deployment_commits')
    .select('cicd_deployment_id', 'finished_date')
    .where({ result: SUCCESS, environment: PRODUCTION })
    .whereNotNull('finished_date')
    .whereIn('cicd_scope_id', projectRowIds(knex, project, 'cicd_scopes')), columnTypes({ finished_date: 'datetime' }))
    .map((r): Candidate => ({ deploymentId: r.cicd_deployment_id ?? '', finished: r.finished_date.getTime() }))
    .sort((a, b) => a.finished - b.finished);

  await new DataConverter<IncidentInput>({
    ctx,
    rawTable: '_raw_incidents',
    params,
    inputKey: ['i.id'],
    inputColumns: columnTypes({ created_date: 'datetime' }),
    input: (db) =>
      db
        .select('i.id', 'i.created_date')
        .from('incidents as i')
        .join('project_mapping as pm', (j) => j.on('pm.row_id', 'i.scope_id').andOn('pm.table', 'i.table'))
        .where('pm.project_name', project),
    outputs: [],
    convert: (incident) => {
      const created = incident.created_date;
      const deployment = created ? latestBefore(candidates, created.getTime()) : undefined;
      if (!deployment || deployment.deploymentId === '') return [];
      return [ProjectIncidentDeploymentRelationship.row({ id: incident.id, project_name: project, deployment_id: deployment.deploymentId })];
    },
  }).execute();
}

/** The candidate with the latest finish strictly before `time` (candidates sorted by finish). */
function latestBefore(candidates: Candidate[], time: number): Candidate | undefined {
  let lo = 0;
  let hi = candidates.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (candidates[mid]!.finished < time) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? candidates[lo - 1] : undefined;
}

export const ConnectIncidentToDeploymentMeta: SubTaskMeta<DoraTaskData> = {
  name: 'ConnectIncidentToDeployment',
  entryPoint: connectIncidentToDeployment,
  enabledByDefault: true,
  description: 'Connect incident issue to deployment',
  domainTypes: ['CICD'],
};
