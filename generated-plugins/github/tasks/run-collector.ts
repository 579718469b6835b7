import { collector, DomainTypes } from 'devlake-ts';
import { recordsUnder } from './api-client';
import { RAW } from './shared';
import type { GithubTaskData } from '../task-data';

/** Collect Workflow Runs: GitHub Actions runs → `_raw_github_api_runs`. */
export const CollectRunsMeta = collector<GithubTaskData>({
  entity: 'workflow_runs',
  domainTypes: [DomainTypes.CICD],
  rawTable: RAW.runs,
  urlTemplate: 'repos/{{params.Name}}/actions/runs',
  pagination: 'link',
  responseParser: recordsUnder('workflow_runs'),
});
