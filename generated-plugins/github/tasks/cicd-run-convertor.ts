import { CicdPipeline, CicdPipelineCommit, DataConverter, DevlakeError, DomainTypes, readRows } from 'devlake-ts';
import type { SelectRowOf, SubTaskMeta } from 'devlake-ts';
import { cicdOutcome, durationSec, type OutcomeRule } from 'devlake-ts/devlake';
import { GithubRepo, GithubRun } from '../models';
import { RAW, ids, ofRepo } from './shared';
import type { GithubTaskData } from '../task-data';

/** GitHub's conclusions and statuses of runs and jobs, as DevLake's GitHub plugin maps them. */
export const GITHUB_CICD: OutcomeRule = {
  result: { success: ['SUCCESS'], failure: ['FAILURE', 'CANCELLED', 'TIMED_OUT', 'STARTUP_FAILURE'] },
  status: { done: ['COMPLETED', 'SUCCESS', 'FAILURE', 'CANCELLED', 'TIMED_OUT', 'STARTUP_FAILURE'], inProgress: ['IN_PROGRESS', 'QUEUED', 'WAITING', 'PENDING'] },
};

/** Convert Workflow Runs: `_tool_github_runs` → `cicd_pipelines`, `cicd_pipeline_commits` (with the repo's URL, read first). */
export const ConvertRunsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Convert Workflow Runs',
  enabledByDefault: true,
  description: 'Convert tool layer table github_runs into domain layer tables cicd_pipelines and cicd_pipeline_commits',
  domainTypes: [DomainTypes.CICD],
  async entryPoint(ctx) {
    const data = ctx.getData();
    const { connectionId, githubId } = data.options;
    const query = ctx.db.knex(GithubRepo.table).select('html_url').where({ connection_id: connectionId, github_id: githubId }).limit(1);
    const [repo] = readRows<SelectRowOf<typeof GithubRepo>>(ctx.db, await query, GithubRepo);
    if (!repo) {
      throw new DevlakeError('DEVLAKE_E_CONVERT', `Convert Workflow Runs: repo ${githubId} of connection ${connectionId} is not in _tool_github_repos`, {
        hint: 'Collect and extract the repository first (it gives the pipeline commits their repo URL).',
      });
    }
    await new DataConverter<SelectRowOf<typeof GithubRun>>({
      ctx,
      rawTable: RAW.runs,
      params: data.params,
      input: (db) => db(GithubRun.table).select('*').where(ofRepo(data)),
      inputKey: [...GithubRun.primaryKey],
      inputColumns: GithubRun.spec.columns,
      outputs: [CicdPipeline, CicdPipelineCommit],
      convert: (run) => {
        const pipelineId = ids.run.generate(connectionId, run.repo_id ?? 0, run.id ?? 0);
        return [
          CicdPipeline.row({
            id: pipelineId,
            name: run.name ?? '',
            display_title: run.display_title ?? '',
            url: run.url ?? '',
            ...cicdOutcome(GITHUB_CICD, run.status ?? '', run.conclusion ?? ''),
            type: run.type ?? '',
            environment: run.environment ?? '',
            created_date: run.github_created_at,
            started_date: run.run_started_at,
            finished_date: run.github_updated_at,
            duration_sec: durationSec(run.run_started_at, run.github_updated_at),
            cicd_scope_id: ids.repo.generate(connectionId, run.repo_id ?? 0),
          }),
          CicdPipelineCommit.row({
            pipeline_id: pipelineId,
            commit_sha: run.head_sha ?? '',
            branch: run.head_branch ?? '',
            repo_id: ids.repo.generate(connectionId, githubId),
            repo_url: repo.html_url ?? '',
            display_title: run.display_title ?? '',
            url: run.html_url ?? '',
          }),
        ];
      },
    }).execute();
  },
};
