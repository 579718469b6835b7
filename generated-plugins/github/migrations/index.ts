import type { MigrationScript } from 'devlake-ts';
import { addGithubToolTables } from './20240601000001_add_github_tool_tables';

/** The GitHub plugin's migration scripts, in version order. */
export const githubMigrations: MigrationScript[] = [addGithubToolTables];
