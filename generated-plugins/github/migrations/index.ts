import type { MigrationScript } from 'devlake-ts';
import { addGithubToolTables } from './20240601000001_add_github_tool_tables';
import { addGithubCommitStats } from './20240601000002_add_github_commit_stats';

/** The GitHub plugin's migration scripts, in version order. */
export const githubMigrations: MigrationScript[] = [addGithubToolTables, addGithubCommitStats];
