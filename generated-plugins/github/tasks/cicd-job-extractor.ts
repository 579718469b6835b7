import { DomainTypes } from 'devlake-ts';
import type { ModelRow, SubTaskMeta } from 'devlake-ts';
import { GithubJob } from '../models';
import { DEPLOYMENT, field, int, PRODUCTION, rawJsonField, str, time } from 'devlake-ts/devlake';
import { RAW, extract } from './shared';
import type { GithubTaskData } from './task-data';

/** The tool row for one raw workflow job; DEPLOYMENT / PRODUCTION come from the job name. */
export function extractJob(record: unknown, rawText: string, data: GithubTaskData): ModelRow<any>[] {
  const name = str(field(record, 'name'));
  const runId = int(field(record, 'run_id'));
  const steps = rawJsonField(rawText, 'steps');
  const labels = rawJsonField(rawText, 'labels');
  return [
    GithubJob.row({
      connection_id: data.options.connectionId,
      repo_id: data.options.githubId,
      id: int(field(record, 'id')),
      run_id: runId,
      run_url: str(field(record, 'run_url')),
      node_id: str(field(record, 'node_id')),
      head_sha: str(field(record, 'head_sha')),
      url: str(field(record, 'url')),
      html_url: str(field(record, 'html_url')),
      status: str(field(record, 'status')).toUpperCase(),
      conclusion: str(field(record, 'conclusion')).toUpperCase(),
      started_at: time(field(record, 'started_at')),
      completed_at: time(field(record, 'completed_at')),
      name,
      // json.RawMessage columns: absent or null stay NULL
      steps: steps === '' || steps === 'null' ? null : steps,
      check_run_url: str(field(record, 'check_run_url')),
      labels: labels === '' || labels === 'null' ? null : labels,
      // DevLake fills runner_id from the run id
      runner_id: runId,
      runner_name: str(field(record, 'runner_name')),
      runner_group_id: int(field(record, 'runner_group_id')),
      type: data.regexEnricher.returnNameIfMatched(DEPLOYMENT, name),
      environment: data.regexEnricher.returnNameIfOmittedOrMatched(PRODUCTION, name),
    }),
  ];
}

/** Extract Jobs: `_raw_github_api_jobs` → jobs. */
export const ExtractJobsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Extract Jobs',
  enabledByDefault: true,
  description: 'Extract raw run data into tool layer table github_jobs',
  domainTypes: [DomainTypes.CICD],
  async entryPoint(ctx) {
    const data = ctx.getData();
    await extract(ctx, RAW.jobs, [GithubJob], (record, _raw, text) => extractJob(record, text, data));
  },
};
