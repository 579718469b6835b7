import { DomainTypes } from 'devlake-ts';
import type { SubTaskMeta } from 'devlake-ts';
import { collect, recordsUnder } from './collect';
import { RAW } from './shared';
import type { GithubTaskData } from './task-data';

/** Collect GitHub Actions workflow runs into _raw_github_api_runs */
export const CollectRunsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Collect Workflow Runs',
  enabledByDefault: true,
  description: 'Collect GitHub Actions workflow runs into _raw_github_api_runs',
  domainTypes: [DomainTypes.CICD],
  async entryPoint(ctx) {
    await collect(ctx, {
      rawTable: RAW.runs,
      urlTemplate: 'repos/{{params.Name}}/actions/runs',
      responseParser: recordsUnder('workflow_runs'),
    });
  },
};
