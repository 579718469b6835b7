import { DomainTypes } from 'devlake-ts';
import type { SubTaskMeta } from 'devlake-ts';
import { collect, streamInput } from './collect';
import { GithubRepoCommit } from '../models';
import { RAW } from './shared';
import type { GithubTaskData } from './task-data';

/** Collect Commit Stats (off by default): each repo commit's detail → `_raw_github_api_commit_stats` (input `{"Sha"}`). */
export const CollectApiCommitStatsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Collect Commit Stats',
  enabledByDefault: false,
  description: 'Collect the detail (line counts) of every repo commit into _raw_github_api_commit_stats',
  domainTypes: [DomainTypes.CODE],
  async entryPoint(ctx) {
    const { connectionId, githubId } = ctx.getData().options;
    await collect(ctx, {
      ignoreNotFound: true,
      rawTable: RAW.commitStats,
      urlTemplate: 'repos/{{params.Name}}/commits/{{input.Sha}}',
      pagination: 'none',
      input: streamInput(
        ctx,
        GithubRepoCommit,
        (db) => db('_tool_github_repo_commits').select('commit_sha').where({ connection_id: connectionId, repo_id: githubId }),
        ['commit_sha'],
        (r) => ({ Sha: r.commit_sha ?? '' }),
      ),
    });
  },
};
