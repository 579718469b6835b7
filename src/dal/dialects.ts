import type { Knex } from 'knex';
import type { SqlDialect } from './dialect';
import type { Dialect } from './types';

/**
 * The dialects by name, each loaded on first use (as knex's
 * `lib/dialects/index`): opening SQLite never loads the Postgres code.
 */
const loaders: Readonly<Record<Dialect, () => SqlDialect>> = Object.freeze({
  sqlite: () => (require('./sqlite') as typeof import('./sqlite')).sqliteDialect,
  postgres: () => (require('./postgres') as typeof import('./postgres')).postgresDialect,
  mysql: () => (require('./mysql') as typeof import('./mysql')).mysqlDialect,
});

/** The dialect of a name, or of a Dal (`dialectOf(db.dialect)`). */
export function dialectOf(name: Dialect): SqlDialect {
  const load = loaders[name];
  if (!load) throw new TypeError(`Unknown dialect "${String(name)}"`);
  return load();
}

/** knex's client dialect names → ours, for code that holds only a knex (a migration's `up(db)`). */
const KNEX_DIALECTS: Readonly<Record<string, Dialect>> = Object.freeze({
  'better-sqlite3': 'sqlite',
  sqlite3: 'sqlite',
  postgresql: 'postgres',
  mysql: 'mysql',
  mysql2: 'mysql',
});

/** The dialect of a knex instance or transaction. */
export function dialectOfKnex(knex: Knex): SqlDialect {
  const name = (knex.client as { dialect?: string }).dialect ?? '';
  const ours = KNEX_DIALECTS[name];
  if (!ours) throw new TypeError(`No devlake-ts dialect for knex client "${name}"`);
  return dialectOf(ours);
}
