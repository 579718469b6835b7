import { tablesMigration } from 'devlake-ts';
import { GithubCommitStat } from '../models';

/** `_tool_github_commit_stats` (DevLake's GithubCommitStat). */
export const addGithubCommitStats = tablesMigration(20240601000002, 'add_github_commit_stats', [GithubCommitStat], {
  acceptedChecksums: ['7e4fff48223ed8ddfaefb4e199688c4c40b1bce132e685de198db70608c9c501'],
});
