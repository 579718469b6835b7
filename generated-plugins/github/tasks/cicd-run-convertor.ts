import { DevlakeError, DomainTypes } from 'devlake-ts';
import type { ModelRow, Row, SubTaskMeta } from 'devlake-ts';
import { durationSec } from 'devlake-ts/devlake';
import { cicdOutcome } from './cicd-status';
import { CicdPipeline, CicdPipelineCommit } from './domain';
import { dbInt, dbStr, dbTime } from './db-values';
import { RAW, convert, ids } from './shared';
import type { GithubTaskData } from './task-data';

/** The domain pipeline and pipeline commit for one tool run; `repoUrl` is the repo's html_url. */
export function convertRun(run: Row, repoUrl: string, data: GithubTaskData): ModelRow<any>[] {
  const { connectionId, githubId } = data.options;
  const repoId = dbInt(run.repo_id);
  const pipelineId = ids.run.generate(connectionId, repoId, dbInt(run.id));
  const startedAt = dbTime(run.run_started_at);
  const finishedAt = dbTime(run.github_updated_at);
  return [
    CicdPipeline.row({
      id: pipelineId,
      name: dbStr(run.name),
      display_title: dbStr(run.display_title),
      url: dbStr(run.url),
      ...cicdOutcome(dbStr(run.status), dbStr(run.conclusion)),
      type: dbStr(run.type),
      environment: dbStr(run.environment),
      created_date: dbTime(run.github_created_at),
      started_date: startedAt,
      finished_date: finishedAt,
      duration_sec: durationSec(startedAt, finishedAt),
      cicd_scope_id: ids.repo.generate(connectionId, repoId),
    }),
    CicdPipelineCommit.row({
      pipeline_id: pipelineId,
      commit_sha: dbStr(run.head_sha),
      branch: dbStr(run.head_branch),
      repo_id: ids.repo.generate(connectionId, githubId),
      repo_url: repoUrl,
      display_title: dbStr(run.display_title),
      url: dbStr(run.html_url),
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
    const repo = (await ctx.db.knex('_tool_github_repos').first('html_url').where({ connection_id: connectionId, github_id: githubId })) as
      | Row
      | undefined;
    if (!repo) {
      throw new DevlakeError('DEVLAKE_E_CONVERT', `Convert Workflow Runs: repo ${githubId} of connection ${connectionId} is not in _tool_github_repos`, {
        hint: 'Collect and extract the repository first (it gives the pipeline commits their repo URL).',
      });
    }
    await convert<Row>(
      ctx,
      RAW.runs,
      [CicdPipeline, CicdPipelineCommit],
      (db) => db('_tool_github_runs').select('*').where({ repo_id: githubId, connection_id: connectionId }),
      ['connection_id', 'repo_id', 'id'],
      (row) => convertRun(row, dbStr(repo.html_url), data),
    );
  },
};
