import { DomainTypes } from 'devlake-ts';
import type { SubTaskMeta } from 'devlake-ts';
import { collect, recordsUnder, streamInput } from './collect';
import { GithubRun } from '../models';
import { RAW } from './shared';
import type { GithubTaskData } from './task-data';

/** Collect Job Runs (DevLake's name for the REST jobs collector): each extracted workflow run's jobs → `_raw_github_api_jobs` (input `{"ID"}`). */
export const CollectJobsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Collect Job Runs',
  enabledByDefault: true,
  description: 'Collect the jobs of every workflow run into _raw_github_api_jobs',
  domainTypes: [DomainTypes.CICD],
  async entryPoint(ctx) {
    const { connectionId, githubId } = ctx.getData().options;
    await collect(ctx, {
      ignoreNotFound: true,
      rawTable: RAW.jobs,
      urlTemplate: 'repos/{{params.Name}}/actions/runs/{{input.ID}}/jobs',
      responseParser: recordsUnder('jobs'),
      input: streamInput(
        ctx,
        GithubRun,
        (db) => db('_tool_github_runs').select('id').where({ connection_id: connectionId, repo_id: githubId }),
        ['id'],
        (r) => ({ ID: r.id ?? 0 }),
      ),
    });
  },
};
