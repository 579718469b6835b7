import { CicdTask, converter, DomainTypes } from 'devlake-ts';
import type { SelectRowOf } from 'devlake-ts';
import { cicdOutcome, durationSec } from 'devlake-ts/devlake';
import { GithubJob } from '../models';
import { GITHUB_CICD } from './cicd-run-convertor';
import { RAW, ids, ofRepo } from './shared';
import type { GithubTaskData } from '../task-data';

/** Convert Jobs: `_tool_github_jobs` → `cicd_tasks`. */
export const ConvertJobsMeta = converter<GithubTaskData, SelectRowOf<typeof GithubJob>>({
  entity: 'jobs',
  domainTypes: [DomainTypes.CICD],
  rawTable: RAW.jobs,
  from: GithubJob,
  where: (q, data) => q.where(ofRepo(data)),
  outputs: [CicdTask],
  convert: (job, { data: { options } }) => [
    CicdTask.row({
      id: ids.job.generate(options.connectionId, job.run_id ?? 0, job.id ?? 0),
      name: job.name ?? '',
      pipeline_id: ids.run.generate(options.connectionId, job.repo_id ?? 0, job.run_id ?? 0),
      cicd_scope_id: ids.repo.generate(options.connectionId, job.repo_id ?? 0),
      type: job.type ?? '',
      environment: job.environment ?? '',
      ...cicdOutcome(GITHUB_CICD, job.status ?? '', job.conclusion ?? ''),
      created_date: job.started_at,
      started_date: job.started_at,
      finished_date: job.completed_at,
      duration_sec: durationSec(job.started_at, job.completed_at),
    }),
  ],
});
