import { DomainTypes, mappedExtractor, pick } from 'devlake-ts';
import { GithubRun } from '../models';
import { DEPLOYMENT, PRODUCTION } from 'devlake-ts/devlake';
import { RAW, repoIdRule } from './shared';
import type { GithubTaskData } from '../task-data';

/** Extract Workflow Runs: `_raw_github_api_runs` → runs; DEPLOYMENT from the name, PRODUCTION from name or branch. */
export const ExtractRunsMeta = mappedExtractor<GithubTaskData, typeof GithubRun>({
  entity: 'runs',
  name: 'Extract Workflow Runs',
  description: 'Extract raw run data into tool layer table github_runs',
  domainTypes: [DomainTypes.CICD],
  rawTable: RAW.runs,
  table: GithubRun,
  columns: {
    connection_id: pick.param('ConnectionId'),
    repo_id: repoIdRule,
    id: pick.int('id', { nullAs: 0 }),
    name: pick.asIs('name', { nullAs: '' }),
    node_id: pick.asIs('node_id', { nullAs: '' }),
    head_branch: pick.asIs('head_branch', { nullAs: '' }),
    head_sha: pick.asIs('head_sha', { nullAs: '' }),
    path: pick.asIs('path', { nullAs: '' }),
    run_number: pick.int('run_number', { nullAs: 0 }),
    event: pick.asIs('event', { nullAs: '' }),
    status: pick.asIs('status', { nullAs: '' }),
    conclusion: pick.asIs('conclusion', { nullAs: '' }),
    workflow_id: pick.int('workflow_id', { nullAs: 0 }),
    check_suite_id: pick.int('check_suite_id', { nullAs: 0 }),
    check_suite_node_id: pick.asIs('check_suite_node_id', { nullAs: '' }),
    display_title: pick.asIs('display_title', { nullAs: '' }),
    url: pick.asIs('url', { nullAs: '' }),
    html_url: pick.asIs('html_url', { nullAs: '' }),
    github_created_at: pick.time('created_at'),
    github_updated_at: pick.time('updated_at'),
    run_attempt: pick.int('run_attempt', { nullAs: 0 }),
    run_started_at: pick.time('run_started_at'),
    jobs_url: pick.asIs('jobs_url', { nullAs: '' }),
    logs_url: pick.asIs('logs_url', { nullAs: '' }),
    check_suite_url: pick.asIs('check_suite_url', { nullAs: '' }),
    artifacts_url: pick.asIs('artifacts_url', { nullAs: '' }),
    cancel_url: pick.asIs('cancel_url', { nullAs: '' }),
    rerun_url: pick.asIs('rerun_url', { nullAs: '' }),
    workflow_url: pick.asIs('workflow_url', { nullAs: '' }),
  },
  perRecord: (data) => (run) => {
    run.type = data.regexEnricher.returnNameIfMatched(DEPLOYMENT, run.name ?? '');
    run.environment = data.regexEnricher.returnNameIfOmittedOrMatched(PRODUCTION, run.name ?? '', run.head_branch ?? '');
  },
});
