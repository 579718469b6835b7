import { DevlakeError, DomainTypes, readRows } from 'devlake-ts';
import type { ModelRow, SelectRowOf, SubTaskMeta } from 'devlake-ts';
import { durationSec } from 'devlake-ts/devlake';
import { cicdOutcome } from './cicd-status';
import { CicdPipeline, CicdPipelineCommit } from './domain';
import { GithubRepo, GithubRun } from '../models';
import { RAW, convert, ids } from './shared';
import type { GithubTaskData } from './task-data';

/** The domain pipeline and pipeline commit for one tool run; `repoUrl` is the repo's html_url. */
export function convertRun(run: SelectRowOf<typeof GithubRun>, repoUrl: string, data: GithubTaskData): ModelRow<any>[] {
  const { connectionId, githubId } = data.options;
  const repoId = run.repo_id ?? 0;
  const pipelineId = ids.run.generate(connectionId, repoId, run.id ?? 0);
  const startedAt = run.run_started_at;
  const finishedAt = run.github_updated_at;
  return [
    CicdPipeline.row({
      id: pipelineId,
      name: run.name ?? '',
      display_title: run.display_title ?? '',
      url: run.url ?? '',
      ...cicdOutcome(run.status ?? '', run.conclusion ?? ''),
      type: run.type ?? '',
      environment: run.environment ?? '',
      created_date: run.github_created_at,
      started_date: startedAt,
      finished_date: finishedAt,
      duration_sec: durationSec(startedAt, finishedAt),
      cicd_scope_id: ids.repo.generate(connectionId, repoId),
    }),
    CicdPipelineCommit.row({
      pipeline_id: pipelineId,
      commit_sha: run.head_sha ?? '',
      branch: run.head_branch ?? '',
      repo_id: ids.repo.generate(connectionId, githubId),
      repo_url: repoUrl,
      display_title: run.display_title ?? '',
      url: run.html_url ?? '',
    }),
  ];
}

/** Convert Workflow Runs: `_tool_github_runs` → `cicd_pipelines`, `cicd_pipeline_commits`. */
export const ConvertRunsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Convert Workflow Runs',
  enabledByDefault: true,
  description: 'Convert tool layer table github_runs into domain layer tables cicd_pipelines and cicd_pipeline_commits',
  domainTypes: [DomainTypes.CICD],
  async entryPoint(ctx) {
    const data = ctx.getData();
    const { connectionId, githubId } = data.options;
    const [repo] = readRows<SelectRowOf<typeof GithubRepo>>(
      ctx.db,
      await ctx.db.knex(GithubRepo.table).select('html_url').where({ connection_id: connectionId, github_id: githubId }).limit(1),
      GithubRepo,
    );
    if (!repo) {
      throw new DevlakeError('DEVLAKE_E_CONVERT', `Convert Workflow Runs: repo ${githubId} of connection ${connectionId} is not in _tool_github_repos`, {
        hint: 'Collect and extract the repository first (it gives the pipeline commits their repo URL).',
      });
    }
    await convert<SelectRowOf<typeof GithubRun>>(
      ctx,
      GithubRun,
      RAW.runs,
      [CicdPipeline, CicdPipelineCommit],
      (db) => db('_tool_github_runs').select('*').where({ repo_id: githubId, connection_id: connectionId }),
      ['connection_id', 'repo_id', 'id'],
      (row) => convertRun(row, repo.html_url ?? '', data),
    );
  },
};
