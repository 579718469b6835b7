import { DomainTypes } from 'devlake-ts';
import type { SubTaskMeta } from 'devlake-ts';
import { collect } from './collect';
import { RAW } from './shared';
import type { GithubTaskData } from './task-data';

/** Collect the repository (GET repos/:name) into _raw_github_api_repositories */
export const CollectApiRepoMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Collect Repo',
  enabledByDefault: true,
  description: 'Collect the repository (GET repos/:name) into _raw_github_api_repositories',
  domainTypes: [DomainTypes.CODE, DomainTypes.TICKET, DomainTypes.CICD, DomainTypes.CODE_REVIEW, DomainTypes.CROSS],
  async entryPoint(ctx) {
    await collect(ctx, { rawTable: RAW.repositories, urlTemplate: 'repos/{{params.Name}}', pagination: 'none' });
  },
};
