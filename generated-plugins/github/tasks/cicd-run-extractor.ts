import { DomainTypes } from 'devlake-ts';
import type { ModelRow, SubTaskMeta } from 'devlake-ts';
import { GithubRun } from '../models';
import { DEPLOYMENT, field, int, PRODUCTION, str, time } from 'devlake-ts/devlake';
import { RAW, extract } from './shared';
import type { GithubTaskData } from './task-data';

/** The tool row for one raw workflow run; DEPLOYMENT from the name, PRODUCTION from name or branch. */
export function extractRun(record: unknown, data: GithubTaskData): ModelRow<any>[] {
  const name = str(field(record, 'name'));
  const headBranch = str(field(record, 'head_branch'));
  const s = (k: string): string => str(field(record, k));
  return [
    GithubRun.row({
      connection_id: data.options.connectionId,
      repo_id: data.options.githubId,
      id: int(field(record, 'id')),
      name,
      node_id: s('node_id'),
      head_branch: headBranch,
      head_sha: s('head_sha'),
      path: s('path'),
      run_number: int(field(record, 'run_number')),
      event: s('event'),
      status: s('status'),
      conclusion: s('conclusion'),
      workflow_id: int(field(record, 'workflow_id')),
      check_suite_id: int(field(record, 'check_suite_id')),
      check_suite_node_id: s('check_suite_node_id'),
      display_title: s('display_title'),
      url: s('url'),
      html_url: s('html_url'),
      github_created_at: time(field(record, 'created_at')),
      github_updated_at: time(field(record, 'updated_at')),
      run_attempt: int(field(record, 'run_attempt')),
      run_started_at: time(field(record, 'run_started_at')),
      jobs_url: s('jobs_url'),
      logs_url: s('logs_url'),
      check_suite_url: s('check_suite_url'),
      artifacts_url: s('artifacts_url'),
      cancel_url: s('cancel_url'),
      rerun_url: s('rerun_url'),
      workflow_url: s('workflow_url'),
      type: data.regexEnricher.returnNameIfMatched(DEPLOYMENT, name),
      environment: data.regexEnricher.returnNameIfOmittedOrMatched(PRODUCTION, name, headBranch),
    }),
  ];
}

/** Extract Workflow Runs: `_raw_github_api_runs` → runs. */
export const ExtractRunsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Extract Workflow Runs',
  enabledByDefault: true,
  description: 'Extract raw run data into tool layer table github_runs',
  domainTypes: [DomainTypes.CICD],
  async entryPoint(ctx) {
    const data = ctx.getData();
    await extract(ctx, RAW.runs, [GithubRun], (record) => extractRun(record, data));
  },
};
