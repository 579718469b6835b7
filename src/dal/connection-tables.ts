import type { Knex } from 'knex';
import type { MigrationScript } from './types';

/** Saved connections: one row per plugin connection; secrets sealed (AES-256-GCM) beside their key id. */
export const CONNECTIONS_TABLE = '_devlake_ts_connections';
/** Scopes (a repo, a project…) of a connection, as the plugin's options for a run. */
export const SCOPES_TABLE = '_devlake_ts_scopes';
/** Scope configs (transformation rules) of a connection. */
export const SCOPE_CONFIGS_TABLE = '_devlake_ts_scope_configs';
/** API keys of `devlake serve`, stored as SHA-256 hashes. */
export const API_KEYS_TABLE = '_devlake_ts_api_keys';

/**
 * The framework tables of connections, scopes, scope configs and API keys.
 * Written with knex's schema builder only, so the one script runs on every
 * database devlake-ts supports.
 */
export const connectionTablesMigration: MigrationScript = {
  version: 20261203000101,
  name: 'add_connection_tables',
  async up(db: Knex) {
    await db.schema.createTable(CONNECTIONS_TABLE, (t) => {
      t.bigIncrements('id').primary();
      t.string('plugin', 100).notNullable();
      t.string('name', 100).notNullable();
      t.string('endpoint', 500);
      t.string('auth_type', 20).notNullable(); // none bearer basic header
      t.string('username', 255); // basic auth
      t.string('header_name', 100); // header auth
      t.string('proxy_display', 500); // the proxy URL with any password masked; the real one is sealed
      t.integer('rate_limit_per_hour');
      t.text('secret'); // sealed JSON of token / password / header value / proxy
      t.string('secret_key_id', 32);
      t.timestamp('created_at', { useTz: true });
      t.timestamp('updated_at', { useTz: true });
      t.unique(['plugin', 'name']);
    });
    await db.schema.createTable(SCOPE_CONFIGS_TABLE, (t) => {
      t.bigIncrements('id').primary();
      t.string('plugin', 100).notNullable();
      t.bigInteger('connection_id').notNullable().index();
      t.string('name', 100).notNullable();
      t.text('data'); // JSON
      t.timestamp('created_at', { useTz: true });
      t.timestamp('updated_at', { useTz: true });
    });
    await db.schema.createTable(SCOPES_TABLE, (t) => {
      t.string('plugin', 100).notNullable();
      t.bigInteger('connection_id').notNullable();
      t.string('scope_id', 255).notNullable();
      t.string('name', 255).notNullable();
      t.bigInteger('scope_config_id');
      t.text('options'); // JSON: the plugin's task options for this scope
      t.timestamp('created_at', { useTz: true });
      t.timestamp('updated_at', { useTz: true });
      t.primary(['plugin', 'connection_id', 'scope_id']);
    });
    await db.schema.createTable(API_KEYS_TABLE, (t) => {
      t.bigIncrements('id').primary();
      t.string('name', 100).notNullable().unique();
      t.string('prefix', 16).notNullable(); // the first characters, to tell keys apart in listings
      t.string('hash', 64).notNullable().unique(); // hex SHA-256 of the key
      t.timestamp('created_at', { useTz: true });
    });
  },
};
