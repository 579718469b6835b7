import type { Dal } from 'devlake-ts';

/** The query builder of `ctx.db.knex` (the toolkit's, so the plugin needs no driver import). */
type Db = Dal['knex'];
type Query = ReturnType<Db>;

/**
 * What the dora subtasks share: DevLake's string constants, reading
 * timestamps back from any database, the span arithmetic of its metrics, and
 * the project's scopes through `project_mapping`.
 */

export const SUCCESS = 'SUCCESS';
export const FAILURE = 'FAILURE';
export const PRODUCTION = 'PRODUCTION';
export const STAGING = 'STAGING';
export const TESTING = 'TESTING';
export const DEPLOYMENT = 'DEPLOYMENT';

/** A timestamp as read back (a Date on Postgres, ISO or `YYYY-MM-DD HH:MM:SS` text on SQLite; UTC), or null. */
export function toDate(value: unknown): Date | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'number') return new Date(value);
  const text = String(value).trim();
  // No zone means UTC, as DevLake stores it.
  const iso = /[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text.replace(' ', 'T') : `${text.replace(' ', 'T')}Z`;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A SQL boolean as read back (true/false, 1/0, '1'/'0', 't'/'f'). */
export function truthy(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 't' || value === 'true' || (typeof value === 'bigint' && value !== 0n);
}

/** Ids of the project's rows of a scope table (`repos`, `boards`, `cicd_scopes`) in project_mapping. */
export function projectRowIds(db: Db, projectName: string, table: 'repos' | 'boards' | 'cicd_scopes'): Query {
  return db('project_mapping').select('row_id').where({ project_name: projectName, table });
}
