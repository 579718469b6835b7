import { DomainTypes } from 'devlake-ts';
import type { SubTaskMeta } from 'devlake-ts';
import { collect, sinceQuery } from './collect';
import { RAW } from './shared';
import type { GithubTaskData } from './task-data';

/** Collect commits of the default branch into _raw_github_api_commits, incrementally by since (off by default: gitextractor does it better) */
export const CollectApiCommitsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Collect Commits',
  enabledByDefault: false,
  description: 'Collect commits of the default branch into _raw_github_api_commits, incrementally by since (off by default: gitextractor does it better)',
  domainTypes: [DomainTypes.CODE],
  async entryPoint(ctx) {
    await collect(ctx, {
      rawTable: RAW.commits,
      urlTemplate: 'repos/{{params.Name}}/commits',
      incremental: true,
      query: (pager, _input, window) => ({ per_page: pager.size, ...sinceQuery(window) }),
    });
  },
};
