import type { Dal } from 'devlake-ts';

/** The query builder of `ctx.db.knex` (the toolkit's, so the plugin needs no driver import). */
type Db = Dal['knex'];
type Query = ReturnType<Db>;

/**
 * What the dora subtasks share: DevLake's string constants and the
 * project's scopes through `project_mapping`.
 */

export const SUCCESS = 'SUCCESS';
export const FAILURE = 'FAILURE';
export const PRODUCTION = 'PRODUCTION';
export const STAGING = 'STAGING';
export const TESTING = 'TESTING';
export const DEPLOYMENT = 'DEPLOYMENT';

/** Ids of the project's rows of a scope table (`repos`, `boards`, `cicd_scopes`) in project_mapping. */
export function projectRowIds(db: Db, projectName: string, table: 'repos' | 'boards' | 'cicd_scopes'): Query {
  return db('project_mapping').select('row_id').where({ project_name: projectName, table });
}
