import { DomainTypes } from 'devlake-ts';
import type { ModelRow, SubTaskMeta } from 'devlake-ts';
import { GithubCommit, GithubCommitStat } from '../models';
import { githubCommitOf } from './commit-extractor';
import { field, int, time } from 'devlake-ts/devlake';
import { RAW, extract } from './shared';
import type { GithubTaskData } from './task-data';

/**
 * Tool rows for one raw single-commit response: the commit with its line
 * counts, and its stat row. The single-commit API returns the whole commit,
 * so the commit row is rebuilt from it rather than read back and patched.
 */
export function extractCommitStats(record: unknown, data: GithubTaskData): ModelRow<any>[] {
  const stats = field<unknown>(record, 'stats') ?? {};
  const counts = { additions: int(field(stats, 'additions')), deletions: int(field(stats, 'deletions')) };
  const commit = githubCommitOf(record, counts);
  if (commit.sha === '') return [];
  const committer = field<unknown>(field<unknown>(record, 'commit') ?? {}, 'committer') ?? {};
  return [
    GithubCommit.row(commit),
    GithubCommitStat.row({
      connection_id: data.options.connectionId,
      sha: commit.sha,
      ...counts,
      committed_date: time(field(committer, 'date')),
    }),
  ];
}

/** Extract Commit Stats (off by default): `_raw_github_api_commit_stats` → commit line counts. */
export const ExtractApiCommitStatsMeta: SubTaskMeta<GithubTaskData> = {
  name: 'Extract Commit Stats',
  enabledByDefault: false,
  description: 'Extract raw commit stats data into tool layer table github_commit_stats',
  domainTypes: [DomainTypes.CODE],
  async entryPoint(ctx) {
    const data = ctx.getData();
    await extract(ctx, RAW.commitStats, [GithubCommitStat], (record) => extractCommitStats(record, data));
  },
};
