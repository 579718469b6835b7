import { DomainTypes, mappedExtractor } from 'devlake-ts';
import { GithubCommit, GithubCommitStat } from '../models';
import { commitColumns } from './commit-extractor';
import { RAW } from './shared';
import type { GithubTaskData } from '../task-data';

/**
 * Extract Commit Stats (off by default): `_raw_github_api_commit_stats` → the
 * commit with its line counts, and its stat row. The single-commit API returns
 * the whole commit, so the commit row is rebuilt from it rather than patched.
 */
export const ExtractApiCommitStatsMeta = mappedExtractor<GithubTaskData, typeof GithubCommit>({
  entity: 'commit_stats',
  enabledByDefault: false,
  description: 'Extract raw commit stats data into tool layer table github_commit_stats',
  domainTypes: [DomainTypes.CODE],
  rawTable: RAW.commitStats,
  table: GithubCommit,
  columns: commitColumns,
  alsoWrites: [GithubCommitStat],
  perRecord: (data) => (c) => {
    if (c.sha === '') return false;
    return [GithubCommitStat.row({ connection_id: data.options.connectionId, sha: c.sha, additions: c.additions, deletions: c.deletions, committed_date: c.committed_date })];
  },
});
