import { DomainTypes } from 'devlake-ts';
import type { ModelRow, SelectRowOf, SubTaskMeta } from 'devlake-ts';
import { durationSec } from 'devlake-ts/devlake';
import { cicdOutcome } from './cicd-status';
import { CicdTask } from './domain';
import { GithubJob } from '../models';
import { RAW, convert, ids } from './shared';
import type { GithubTaskData } from './task-data';

/** The domain CI/CD task for one tool job. */
export function convertJob(job: SelectRowOf<typeof GithubJob>, data: GithubTaskData): ModelRow<any>[] {
  const { connectionId } = data.options;
  const runId = job.run_id ?? 0;
  const repoId = job.repo_id ?? 0;
  const startedAt = job.started_at;
  const completedAt = job.completed_at;
  return [
    CicdTask.row({
      id: ids.job.generate(connectionId, runId, job.id ?? 0),
      name: job.name ?? '',
      pipeline_id: ids.run.generate(connectionId, repoId, runId),
      cicd_scope_id: ids.repo.generate(connectionId, repoId),
      type: job.type ?? '',
      environment: job.environment ?? '',
      ...cicdOutcome(job.status ?? '', job.conclusion ?? ''),
      created_date: startedAt,
      started_date: startedAt,
      finished_date: completedAt,
      duration_sec: durationSec(startedAt, completedAt),
    }),
  ];
}

/** Convert Jobs: `_tool_github_jobs` → `cicd_tasks`. */
export const ConvertJobsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Convert Jobs',
  enabledByDefault: true,
  description: 'Convert tool layer table github_jobs into domain layer table cicd_tasks',
  domainTypes: [DomainTypes.CICD],
  async entryPoint(ctx) {
    const data = ctx.getData();
    const { connectionId, githubId } = data.options;
    await convert<SelectRowOf<typeof GithubJob>>(
      ctx,
      GithubJob,
      RAW.jobs,
      [CicdTask],
      (db) => db('_tool_github_jobs').select('*').where({ repo_id: githubId, connection_id: connectionId }),
      ['connection_id', 'repo_id', 'id'],
      (row) => convertJob(row, data),
    );
  },
};
