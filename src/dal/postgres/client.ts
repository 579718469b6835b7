import type { Knex } from 'knex';
import type { DbTarget } from '../url';

/** knex configuration for a Postgres URL, with `?schema=` as the search path. */
export function postgresKnexConfig(target: DbTarget, log: Knex.Config['log']): Knex.Config {
  return {
    client: 'pg',
    log,
    connection: { connectionString: target.connectionString! },
    searchPath: target.schema ? [target.schema] : undefined,
    pool: { min: 0, max: 4 },
    acquireConnectionTimeout: 10000,
  };
}
