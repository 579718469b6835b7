import { tablesMigration } from 'devlake-ts';
import { GithubCommitStat, githubToolModels } from '../models';

/** Every `_tool_github_*` table of the conformance manifest, with DevLake's columns and primary keys. */
export const addGithubToolTables = tablesMigration(
  20240601000001,
  'add_github_tool_tables',
  githubToolModels.filter((m) => m !== GithubCommitStat),
  // The same tables as the hand-written DDL this script replaced, already applied in existing databases.
  { acceptedChecksums: ['dc389dd5092e59370c24bc6223dd7a00040f7effefff4e9b7fa586e4e57754cc'] },
);
