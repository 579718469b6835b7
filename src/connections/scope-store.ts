import { DevlakeError } from '../core/errors';
import { SCOPE_CONFIGS_TABLE, SCOPES_TABLE } from '../dal/connection-tables';
import type { Dal } from '../dal/types';

/**
 * A scope of a connection (a repo, a project, a board): what one task of a
 * pipeline collects. `options` are the plugin's task options for it (e.g.
 * `{"name":"apache/devlake"}`); a run adds `connectionId`.
 */
export interface Scope {
  plugin: string;
  connectionId: number;
  /** The plugin's id of the scope, unique per connection (e.g. the repo's numeric id or `owner/repo`). */
  scopeId: string;
  name: string;
  scopeConfigId?: number;
  options: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

/** A scope config (DevLake's transformation rules): named JSON a plugin reads, e.g. `{"deploymentPattern":"deploy"}`. */
export interface ScopeConfig {
  id: number;
  plugin: string;
  connectionId: number;
  name: string;
  data: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

/** What a client sends for one scope. */
export interface ScopeInput {
  scopeId: string;
  name?: string;
  scopeConfigId?: number | null;
  options?: Record<string, unknown>;
}

interface ScopeRow {
  plugin: string;
  connection_id: number | string;
  scope_id: string;
  name: string;
  scope_config_id: number | string | null;
  options: string | null;
  created_at: Date | string | null;
  updated_at: Date | string | null;
}

interface ScopeConfigRow {
  id: number | string;
  plugin: string;
  connection_id: number | string;
  name: string;
  data: string | null;
  created_at: Date | string | null;
  updated_at: Date | string | null;
}

const iso = (v: Date | string | null): string => (v == null ? '' : new Date(v).toISOString());
const json = (text: string | null): Record<string, unknown> => (text ? (JSON.parse(text) as Record<string, unknown>) : {});

function notFound(what: string): DevlakeError {
  return new DevlakeError('DEVLAKE_E_SCOPE_NOT_FOUND', `No ${what}`, { hint: 'List what exists with GET …/scopes or …/scope-configs.' });
}

/** Scopes and scope configs of saved connections (`_devlake_ts_scopes`, `_devlake_ts_scope_configs`). */
export class ScopeStore {
  readonly #dal: Dal;

  constructor(dal: Dal) {
    this.#dal = dal;
  }

  async listScopes(plugin: string, connectionId: number): Promise<Scope[]> {
    const rows = (await this.#dal.knex(SCOPES_TABLE).where({ plugin, connection_id: connectionId }).orderBy('scope_id')) as ScopeRow[];
    return rows.map(toScope);
  }

  async getScope(plugin: string, connectionId: number, scopeId: string): Promise<Scope> {
    const row = (await this.#dal.knex(SCOPES_TABLE).where({ plugin, connection_id: connectionId, scope_id: scopeId }).first()) as ScopeRow | undefined;
    if (!row) throw notFound(`scope ${JSON.stringify(scopeId)} under connection ${connectionId} of plugin "${plugin}"`);
    return toScope(row);
  }

  /** Inserts or replaces scopes by id (DevLake's `PUT …/scopes`), in one transaction. */
  async putScopes(plugin: string, connectionId: number, scopes: readonly ScopeInput[]): Promise<Scope[]> {
    for (const s of scopes) if (s.scopeConfigId != null) await this.getScopeConfig(plugin, connectionId, s.scopeConfigId);
    await this.#dal.transaction(async (tx) => {
      const now = new Date();
      for (const s of scopes) {
        const key = { plugin, connection_id: connectionId, scope_id: s.scopeId };
        const existing = (await tx.knex(SCOPES_TABLE).where(key).first()) as ScopeRow | undefined;
        const data = { name: s.name ?? s.scopeId, scope_config_id: s.scopeConfigId ?? null, options: JSON.stringify(s.options ?? {}), updated_at: now };
        if (existing) await tx.knex(SCOPES_TABLE).where(key).update(data);
        else await tx.knex(SCOPES_TABLE).insert({ ...key, ...data, created_at: now });
      }
    });
    return Promise.all(scopes.map((s) => this.getScope(plugin, connectionId, s.scopeId)));
  }

  async deleteScope(plugin: string, connectionId: number, scopeId: string): Promise<Scope> {
    const before = await this.getScope(plugin, connectionId, scopeId);
    await this.#dal.knex(SCOPES_TABLE).where({ plugin, connection_id: connectionId, scope_id: scopeId }).delete();
    return before;
  }

  async listScopeConfigs(plugin: string, connectionId: number): Promise<ScopeConfig[]> {
    const rows = (await this.#dal.knex(SCOPE_CONFIGS_TABLE).where({ plugin, connection_id: connectionId }).orderBy('id')) as ScopeConfigRow[];
    return rows.map(toScopeConfig);
  }

  async getScopeConfig(plugin: string, connectionId: number, id: number): Promise<ScopeConfig> {
    const row = (await this.#dal.knex(SCOPE_CONFIGS_TABLE).where({ plugin, connection_id: connectionId, id }).first()) as ScopeConfigRow | undefined;
    if (!row) throw notFound(`scope config ${id} under connection ${connectionId} of plugin "${plugin}"`);
    return toScopeConfig(row);
  }

  async createScopeConfig(plugin: string, connectionId: number, input: { name: string; data?: Record<string, unknown> }): Promise<ScopeConfig> {
    const now = new Date();
    const [res] = (await this.#dal
      .knex(SCOPE_CONFIGS_TABLE)
      .insert({ plugin, connection_id: connectionId, name: input.name, data: JSON.stringify(input.data ?? {}), created_at: now, updated_at: now })
      .returning('id')) as Array<{ id: number | string } | number>;
    return this.getScopeConfig(plugin, connectionId, Number(typeof res === 'object' ? res.id : res));
  }

  async updateScopeConfig(plugin: string, connectionId: number, id: number, patch: { name?: string; data?: Record<string, unknown> }): Promise<ScopeConfig> {
    await this.getScopeConfig(plugin, connectionId, id);
    await this.#dal
      .knex(SCOPE_CONFIGS_TABLE)
      .where({ plugin, connection_id: connectionId, id })
      .update({ ...(patch.name !== undefined ? { name: patch.name } : {}), ...(patch.data !== undefined ? { data: JSON.stringify(patch.data) } : {}), updated_at: new Date() });
    return this.getScopeConfig(plugin, connectionId, id);
  }

  /** Deletes a scope config; scopes that used it keep running without one. */
  async deleteScopeConfig(plugin: string, connectionId: number, id: number): Promise<ScopeConfig> {
    const before = await this.getScopeConfig(plugin, connectionId, id);
    await this.#dal.transaction(async (tx) => {
      await tx.knex(SCOPES_TABLE).where({ plugin, connection_id: connectionId, scope_config_id: id }).update({ scope_config_id: null });
      await tx.knex(SCOPE_CONFIGS_TABLE).where({ plugin, connection_id: connectionId, id }).delete();
    });
    return before;
  }

  /** Removes every scope and scope config of a deleted connection. */
  async deleteAllOf(plugin: string, connectionId: number): Promise<void> {
    await this.#dal.transaction(async (tx) => {
      await tx.knex(SCOPES_TABLE).where({ plugin, connection_id: connectionId }).delete();
      await tx.knex(SCOPE_CONFIGS_TABLE).where({ plugin, connection_id: connectionId }).delete();
    });
  }
}

function toScope(row: ScopeRow): Scope {
  return {
    plugin: row.plugin,
    connectionId: Number(row.connection_id),
    scopeId: row.scope_id,
    name: row.name,
    ...(row.scope_config_id != null ? { scopeConfigId: Number(row.scope_config_id) } : {}),
    options: json(row.options),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

function toScopeConfig(row: ScopeConfigRow): ScopeConfig {
  return {
    id: Number(row.id),
    plugin: row.plugin,
    connectionId: Number(row.connection_id),
    name: row.name,
    data: json(row.data),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
