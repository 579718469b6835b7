import { CicdDeploymentCommit, columnTypes, DataConverter } from 'devlake-ts';
import type { CicdDeploymentCommitRow, SubTaskContext, SubTaskMeta } from 'devlake-ts';
import type { DoraTaskData } from '../task-data';
import { DEPLOYMENT, FAILURE, PRODUCTION, projectRowIds, STAGING, SUCCESS, TESTING } from './shared';

/** The `subtask_name` of the rows this subtask writes (and deletes before writing). */
export const DORA_GENERATE_DEPLOYMENT_COMMITS = 'dora.generateDeploymentCommits';

/** A pipeline commit joined with its pipeline and what its tasks say. */
interface PipelineCommitEx {
  pipeline_id: string;
  commit_sha: string;
  display_title: string | null;
  url: string | null;
  branch: string | null;
  repo_id: string | null;
  repo_url: string | null;
  pipeline_name: string | null;
  result: string | null;
  status: string | null;
  original_status: string | null;
  original_result: string | null;
  duration_sec: number | null;
  queued_duration_sec: number | null;
  started_date: Date | null;
  created_date: Date | null;
  finished_date: Date | null;
  environment: string | null;
  cicd_scope_id: string | null;
  has_testing_tasks: boolean;
  has_staging_tasks: boolean;
  has_production_tasks: boolean;
}

const DONE = [SUCCESS, FAILURE];

/**
 * DevLake's dora generateDeploymentCommits: one `cicd_deployment_commits` row
 * per commit of a finished (SUCCESS or FAILURE) pipeline that is a deployment
 * (type DEPLOYMENT, or with a finished DEPLOYMENT task), for the project's
 * cicd scopes (or the `scopeId` option). Rows it wrote before for those scopes
 * are deleted first; rows of other subtasks are kept.
 */
export async function generateDeploymentCommits(ctx: SubTaskContext<DoraTaskData>): Promise<void> {
  const { options, params } = ctx.getData();
  const knex = ctx.db.knex;
  const scopes = options.scopeId !== undefined ? [options.scopeId] : projectRowIds(knex, options.projectName, 'cicd_scopes');
  await knex('cicd_deployment_commits').whereIn('cicd_scope_id', scopes).andWhere({ subtask_name: DORA_GENERATE_DEPLOYMENT_COMMITS }).delete();

  const hasTasks = (env: string) =>
    knex.raw('(CASE WHEN EXISTS (SELECT 1 FROM cicd_tasks t WHERE t.pipeline_id = p.id AND t.environment = ? AND t.result IN (?, ?)) THEN 1 ELSE 0 END)', [env, ...DONE]);
  await new DataConverter<PipelineCommitEx>({
    ctx,
    rawTable: '_raw_cicd_pipeline_commits',
    params,
    inputKey: ['pc.pipeline_id', 'pc.commit_sha'],
    inputColumns: columnTypes({
      duration_sec: 'float', queued_duration_sec: 'float', started_date: 'datetime', created_date: 'datetime', finished_date: 'datetime',
      has_testing_tasks: 'bool', has_staging_tasks: 'bool', has_production_tasks: 'bool',
    }),
    input: (db) =>
      db
        .select(
          'pc.pipeline_id', 'pc.commit_sha', 'pc.display_title', 'pc.url', 'pc.branch', 'pc.repo_id', 'pc.repo_url',
          'p.name as pipeline_name', 'p.result', 'p.status', 'p.original_status', 'p.original_result', 'p.duration_sec', 'p.queued_duration_sec',
          'p.started_date', 'p.created_date', 'p.finished_date', 'p.environment', 'p.cicd_scope_id',
        )
        .select({ has_testing_tasks: hasTasks(TESTING), has_staging_tasks: hasTasks(STAGING), has_production_tasks: hasTasks(PRODUCTION) })
        .from('cicd_pipeline_commits as pc')
        .join('cicd_pipelines as p', 'p.id', 'pc.pipeline_id')
        .whereIn('p.result', DONE)
        .andWhere((w) =>
          w.where('p.type', DEPLOYMENT).orWhereExists((e) =>
            e.select(db.raw('1')).from('cicd_tasks as t').whereRaw('t.pipeline_id = p.id').andWhere('t.type', DEPLOYMENT).whereIn('t.result', DONE),
          ),
        )
        .whereIn('p.cicd_scope_id', options.scopeId !== undefined ? [options.scopeId] : projectRowIds(db, options.projectName, 'cicd_scopes')),
    outputs: [],
    convert: (pc) => [CicdDeploymentCommit.row(toDeploymentCommit(pc))],
  }).execute();
}

/** The deployment commit DevLake makes of one pipeline commit. */
export function toDeploymentCommit(pc: PipelineCommitEx): CicdDeploymentCommitRow {
  const finished = pc.finished_date;
  const duration = pc.duration_sec;
  let started = pc.started_date;
  // No start: the finish minus the duration, truncated to whole seconds as Go's time.Duration(float) * time.Second.
  if (!started && finished && duration !== null) started = new Date(finished.getTime() - Math.trunc(duration) * 1000);
  let environment = pc.environment ?? '';
  if (environment === '') {
    if (pc.has_production_tasks) environment = PRODUCTION;
    else if (pc.has_staging_tasks) environment = STAGING;
    else if (pc.has_testing_tasks) environment = TESTING;
  }
  return {
    id: `${pc.pipeline_id}:${pc.repo_url ?? ''}`,
    cicd_scope_id: pc.cicd_scope_id,
    cicd_deployment_id: pc.pipeline_id,
    name: pc.pipeline_name,
    display_title: pc.display_title,
    url: pc.url,
    result: pc.result,
    original_status: pc.original_status,
    original_result: pc.original_result,
    status: pc.status,
    environment,
    created_date: pc.created_date,
    started_date: started,
    finished_date: finished,
    duration_sec: duration,
    queued_duration_sec: pc.queued_duration_sec,
    commit_sha: pc.commit_sha,
    ref_name: pc.branch,
    repo_id: pc.repo_id,
    repo_url: pc.repo_url,
    subtask_name: DORA_GENERATE_DEPLOYMENT_COMMITS,
  };
}

export const DeploymentCommitsGeneratorMeta: SubTaskMeta<DoraTaskData> = {
  name: 'generateDeploymentCommits',
  entryPoint: generateDeploymentCommits,
  // As DevLake: off by default, its project plan runs it before refdiff's calculateDeploymentCommitsDiff.
  enabledByDefault: false,
  description: 'Generate deployment_commits from cicd_pipeline_commits if cicd_pipeline.type == DEPLOYMENT or any of its cicd_tasks is a deployment task',
  domainTypes: ['CICD'],
};
