import { collector, DomainTypes, tableInput } from 'devlake-ts';
import { GithubRun } from '../models';
import { recordsUnder } from './api-client';
import { RAW } from './shared';
import type { GithubTaskData } from '../task-data';

/** Collect Job Runs (DevLake's name for the REST jobs collector): each extracted workflow run's jobs → `_raw_github_api_jobs` (input `{"ID"}`). */
export const CollectJobsMeta = collector<GithubTaskData, { ID: number }>({
  entity: 'job_runs',
  description: 'Collect the jobs of every workflow run into _raw_github_api_jobs',
  domainTypes: [DomainTypes.CICD],
  rawTable: RAW.jobs,
  urlTemplate: 'repos/{{params.Name}}/actions/runs/{{input.ID}}/jobs',
  pagination: 'link',
  responseParser: recordsUnder('jobs'),
  ignoreNotFound: true,
  input: ({ db, data }) =>
    tableInput(db, GithubRun, (q) => q.select('id').where({ connection_id: data.options.connectionId, repo_id: data.options.githubId }), ['id'], (r) => ({
      ID: r.id ?? 0,
    })),
});
