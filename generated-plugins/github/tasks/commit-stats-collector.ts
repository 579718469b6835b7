import { collector, DomainTypes, tableInput } from 'devlake-ts';
import { GithubRepoCommit } from '../models';
import { RAW } from './shared';
import type { GithubTaskData } from '../task-data';

/** Collect Commit Stats (off by default): each repo commit's detail → `_raw_github_api_commit_stats` (input `{"Sha"}`). */
export const CollectApiCommitStatsMeta = collector<GithubTaskData, { Sha: string }>({
  entity: 'commit_stats',
  description: 'Collect the detail (line counts) of every repo commit into _raw_github_api_commit_stats',
  enabledByDefault: false,
  domainTypes: [DomainTypes.CODE],
  rawTable: RAW.commitStats,
  urlTemplate: 'repos/{{params.Name}}/commits/{{input.Sha}}',
  ignoreNotFound: true,
  input: ({ db, data }) =>
    tableInput(db, GithubRepoCommit, (q) => q.select('commit_sha').where({ connection_id: data.options.connectionId, repo_id: data.options.githubId }), ['commit_sha'], (r) => ({
      Sha: r.commit_sha ?? '',
    })),
});
