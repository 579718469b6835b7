import { DomainTypes, mappedExtractor, pick } from 'devlake-ts';
import { GithubJob } from '../models';
import { DEPLOYMENT, PRODUCTION } from 'devlake-ts/devlake';
import { RAW, repoIdRule } from './shared';
import type { GithubTaskData } from '../task-data';

/** Extract Jobs: `_raw_github_api_jobs` → jobs; DEPLOYMENT / PRODUCTION come from the job name. */
export const ExtractJobsMeta = mappedExtractor<GithubTaskData, typeof GithubJob>({
  entity: 'jobs',
  description: 'Extract raw run data into tool layer table github_jobs',
  domainTypes: [DomainTypes.CICD],
  rawTable: RAW.jobs,
  table: GithubJob,
  columns: {
    connection_id: pick.param('ConnectionId'),
    repo_id: repoIdRule,
    id: pick.int('id', { nullAs: 0 }),
    run_id: pick.int('run_id', { nullAs: 0 }),
    run_url: pick.asIs('run_url', { nullAs: '' }),
    node_id: pick.asIs('node_id', { nullAs: '' }),
    head_sha: pick.asIs('head_sha', { nullAs: '' }),
    url: pick.asIs('url', { nullAs: '' }),
    html_url: pick.asIs('html_url', { nullAs: '' }),
    status: pick.asIs('status', { nullAs: '' }),
    conclusion: pick.asIs('conclusion', { nullAs: '' }),
    started_at: pick.time('started_at'),
    completed_at: pick.time('completed_at'),
    name: pick.asIs('name', { nullAs: '' }),
    steps: pick.json('steps'),
    check_run_url: pick.asIs('check_run_url', { nullAs: '' }),
    labels: pick.json('labels'),
    // DevLake fills runner_id from the run id
    runner_id: pick.int('run_id', { nullAs: 0 }),
    runner_name: pick.asIs('runner_name', { nullAs: '' }),
    runner_group_id: pick.int('runner_group_id', { nullAs: 0 }),
  },
  perRecord: (data) => (job) => {
    job.status = String(job.status).toUpperCase();
    job.conclusion = String(job.conclusion).toUpperCase();
    job.type = data.regexEnricher.returnNameIfMatched(DEPLOYMENT, job.name ?? '');
    job.environment = data.regexEnricher.returnNameIfOmittedOrMatched(PRODUCTION, job.name ?? '');
  },
});
