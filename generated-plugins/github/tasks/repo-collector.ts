import { collector, DomainTypes } from 'devlake-ts';
import { RAW } from './shared';
import type { GithubTaskData } from '../task-data';

/** Collect Repo: `GET repos/:name` → `_raw_github_api_repositories`. */
export const CollectApiRepoMeta = collector<GithubTaskData>({
  entity: 'repo',
  description: 'Collect the repository (GET repos/:name) into _raw_github_api_repositories',
  domainTypes: [DomainTypes.CODE, DomainTypes.TICKET, DomainTypes.CICD, DomainTypes.CODE_REVIEW, DomainTypes.CROSS],
  rawTable: RAW.repositories,
  urlTemplate: 'repos/{{params.Name}}',
});
