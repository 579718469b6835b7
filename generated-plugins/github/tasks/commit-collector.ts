import { collector, DomainTypes } from 'devlake-ts';
import { sinceQuery } from './api-client';
import { RAW } from './shared';
import type { GithubTaskData } from '../task-data';

/** Collect Commits (off by default: gitextractor does it better): the default branch → `_raw_github_api_commits`, incrementally by `since`. */
export const CollectApiCommitsMeta = collector<GithubTaskData>({
  entity: 'commits',
  description: 'Collect commits of the default branch into _raw_github_api_commits, incrementally by since (off by default: gitextractor does it better)',
  enabledByDefault: false,
  domainTypes: [DomainTypes.CODE],
  rawTable: RAW.commits,
  urlTemplate: 'repos/{{params.Name}}/commits',
  pagination: 'link',
  incremental: true,
  query: (pager, _input, window) => ({ per_page: pager.size, ...sinceQuery(window) }),
});
