import type { ConnectionAuth, PluginConnection } from '../core/connection';
import { DevlakeError } from '../core/errors';
import { redactUrl, registerSecret, registerUrlPassword } from '../core/redact';
import { CONNECTIONS_TABLE } from '../dal/connection-tables';
import type { Dal } from '../dal/types';
import type { SecretBox } from './secrets';

/** What a client sends to create a connection. */
export interface ConnectionInput {
  name: string;
  endpoint?: string;
  auth?: ConnectionAuth;
  proxy?: string;
  rateLimitPerHour?: number;
}

/** A connection as the API returns it: every secret replaced by {@link MASK}. */
export interface MaskedConnection {
  id: number;
  plugin: string;
  name: string;
  endpoint?: string;
  auth: ConnectionAuth;
  proxy?: string;
  rateLimitPerHour?: number;
  createdAt: string;
  updatedAt: string;
}

/** What stands in for a secret in every answer; sending it back in a PATCH keeps the saved value. */
export const MASK = '********';

/** The secret parts of a connection, sealed together as one JSON value. */
interface SecretBundle {
  token?: string;
  password?: string;
  value?: string;
  proxy?: string;
}

interface ConnectionRow {
  id: number | string;
  plugin: string;
  name: string;
  endpoint: string | null;
  auth_type: string;
  username: string | null;
  header_name: string | null;
  proxy_display: string | null;
  rate_limit_per_hour: number | string | null;
  secret: string | null;
  secret_key_id: string | null;
  created_at: Date | string | null;
  updated_at: Date | string | null;
}

/**
 * Saved connections in `_devlake_ts_connections`. Secrets (token, password,
 * header value, proxy URL) are sealed with the SecretBox (AES-256-GCM, key id
 * beside the value) before they reach the database; reads for the API are
 * masked and never decrypt. `box` is a function so listing works without a
 * configured key.
 */
export class ConnectionStore {
  readonly #dal: Dal;
  readonly #box: () => SecretBox;

  constructor(dal: Dal, box: () => SecretBox) {
    this.#dal = dal;
    this.#box = box;
  }

  /** The connections of a plugin, masked, by id. */
  async list(plugin: string): Promise<MaskedConnection[]> {
    const rows = (await this.#dal.knex(CONNECTIONS_TABLE).where({ plugin }).orderBy('id')) as ConnectionRow[];
    return rows.map(masked);
  }

  /** One connection, masked. */
  async get(plugin: string, id: number): Promise<MaskedConnection> {
    return masked(await this.#row(plugin, id));
  }

  /** One connection with its secrets in clear (for a run or a test), by id or by name. Its secrets are registered for redaction. */
  async open(plugin: string, idOrName: number | string): Promise<PluginConnection> {
    const row =
      typeof idOrName === 'number' || /^\d+$/.test(idOrName)
        ? await this.#row(plugin, Number(idOrName)).catch(async (err) => {
            // A connection may be named "42": fall back to the name before giving up.
            const byName = typeof idOrName === 'string' ? await this.#rowByName(plugin, idOrName) : undefined;
            if (byName) return byName;
            throw err;
          })
        : await this.#rowByName(plugin, idOrName);
    if (!row) throw notFound(plugin, idOrName);
    return this.#unseal(row);
  }

  /** Saves a new connection; its secrets are sealed. */
  async create(plugin: string, input: ConnectionInput): Promise<MaskedConnection> {
    const conn = validate({
      plugin,
      id: 0,
      name: input.name,
      endpoint: input.endpoint || undefined,
      auth: input.auth ?? { type: 'none' },
      proxy: input.proxy || undefined,
      rateLimitPerHour: input.rateLimitPerHour || undefined,
    });
    await this.#checkNameFree(plugin, conn.name);
    const now = new Date();
    const [res] = (await this.#dal
      .knex(CONNECTIONS_TABLE)
      .insert({ plugin, ...this.#columns(conn), created_at: now, updated_at: now })
      .returning('id')) as Array<{ id: number | string } | number>;
    return this.get(plugin, Number(typeof res === 'object' ? res.id : res));
  }

  /**
   * Changes the fields given. A secret left out, or sent back as {@link MASK},
   * keeps its saved value when the auth type does not change.
   */
  async update(plugin: string, id: number, patch: Partial<ConnectionInput>): Promise<MaskedConnection> {
    const current = await this.open(plugin, id);
    const auth = patch.auth ? mergeAuth(current.auth, patch.auth) : current.auth;
    // The proxy comes back masked in answers: sending that (or nothing) keeps the saved one; '' removes it.
    const keepProxy = patch.proxy === undefined || patch.proxy === MASK || patch.proxy === maskedProxy(current.proxy);
    const next = validate({
      ...current,
      name: patch.name ?? current.name,
      endpoint: patch.endpoint === undefined ? current.endpoint : patch.endpoint || undefined,
      auth,
      proxy: keepProxy ? current.proxy : patch.proxy || undefined,
      rateLimitPerHour: patch.rateLimitPerHour === undefined ? current.rateLimitPerHour : patch.rateLimitPerHour || undefined,
    });
    if (next.name !== current.name) await this.#checkNameFree(plugin, next.name);
    await this.#dal.knex(CONNECTIONS_TABLE).where({ plugin, id }).update({ ...this.#columns(next), updated_at: new Date() });
    return this.get(plugin, id);
  }

  /** Deletes a connection; returns it (masked) as it was. */
  async delete(plugin: string, id: number): Promise<MaskedConnection> {
    const before = await this.get(plugin, id);
    await this.#dal.knex(CONNECTIONS_TABLE).where({ plugin, id }).delete();
    return before;
  }

  /**
   * Re-seals every secret not under the current key (`devlake secrets rotate`),
   * each row in its own short statement. Returns how many rows were re-sealed
   * and how many were already current.
   */
  async rotate(): Promise<{ rotated: number; current: number }> {
    const box = this.#box();
    const rows = (await this.#dal.knex(CONNECTIONS_TABLE).whereNotNull('secret').orderBy('id')) as ConnectionRow[];
    let rotated = 0;
    for (const row of rows) {
      const sealed = { keyId: row.secret_key_id ?? '', ciphertext: row.secret ?? '' };
      if (!box.isStale(sealed)) continue;
      const again = box.seal(box.open(sealed, aadOf(row.plugin)), aadOf(row.plugin));
      await this.#dal.knex(CONNECTIONS_TABLE).where({ id: row.id }).update({ secret: again.ciphertext, secret_key_id: again.keyId, updated_at: new Date() });
      rotated++;
    }
    return { rotated, current: rows.length - rotated };
  }

  async #row(plugin: string, id: number): Promise<ConnectionRow> {
    const row = Number.isSafeInteger(id) ? ((await this.#dal.knex(CONNECTIONS_TABLE).where({ plugin, id }).first()) as ConnectionRow | undefined) : undefined;
    if (!row) throw notFound(plugin, id);
    return row;
  }

  async #rowByName(plugin: string, name: string): Promise<ConnectionRow | undefined> {
    return (await this.#dal.knex(CONNECTIONS_TABLE).where({ plugin, name }).first()) as ConnectionRow | undefined;
  }

  async #checkNameFree(plugin: string, name: string): Promise<void> {
    if (await this.#rowByName(plugin, name)) {
      throw new DevlakeError('DEVLAKE_E_CONNECTION_CONFLICT', `Plugin "${plugin}" already has a connection named "${name}"`, {
        hint: 'Choose another name, or edit the existing connection.',
        data: { field: 'name' },
      });
    }
  }

  #columns(conn: PluginConnection): Record<string, unknown> {
    const bundle: SecretBundle = {};
    if (conn.auth.type === 'bearer') bundle.token = conn.auth.token;
    if (conn.auth.type === 'basic') bundle.password = conn.auth.password;
    if (conn.auth.type === 'header') bundle.value = conn.auth.value;
    if (conn.proxy) bundle.proxy = conn.proxy;
    const sealed = Object.keys(bundle).length ? this.#box().seal(JSON.stringify(bundle), aadOf(conn.plugin)) : undefined;
    return {
      name: conn.name,
      endpoint: conn.endpoint ?? null,
      auth_type: conn.auth.type,
      username: conn.auth.type === 'basic' ? conn.auth.username : null,
      header_name: conn.auth.type === 'header' ? conn.auth.name : null,
      proxy_display: maskedProxy(conn.proxy) ?? null,
      rate_limit_per_hour: conn.rateLimitPerHour ?? null,
      secret: sealed?.ciphertext ?? null,
      secret_key_id: sealed?.keyId ?? null,
    };
  }

  #unseal(row: ConnectionRow): PluginConnection {
    const bundle: SecretBundle = row.secret ? (JSON.parse(this.#box().open({ keyId: row.secret_key_id ?? '', ciphertext: row.secret }, aadOf(row.plugin))) as SecretBundle) : {};
    for (const value of [bundle.token, bundle.password, bundle.value]) registerSecret(value);
    if (bundle.proxy) registerUrlPassword(bundle.proxy);
    const auth: ConnectionAuth =
      row.auth_type === 'bearer'
        ? { type: 'bearer', token: bundle.token ?? '' }
        : row.auth_type === 'basic'
          ? { type: 'basic', username: row.username ?? '', password: bundle.password ?? '' }
          : row.auth_type === 'header'
            ? { type: 'header', name: row.header_name ?? '', value: bundle.value ?? '' }
            : { type: 'none' };
    return {
      id: Number(row.id),
      plugin: row.plugin,
      name: row.name,
      ...(row.endpoint ? { endpoint: row.endpoint } : {}),
      auth,
      ...(bundle.proxy ? { proxy: bundle.proxy } : {}),
      ...(row.rate_limit_per_hour != null ? { rateLimitPerHour: Number(row.rate_limit_per_hour) } : {}),
    };
  }
}

/** Sealed values are bound to their plugin: a ciphertext copied to another plugin's row fails to open. */
const aadOf = (plugin: string): string => `${CONNECTIONS_TABLE}:${plugin}`;

function notFound(plugin: string, idOrName: number | string): DevlakeError {
  return new DevlakeError('DEVLAKE_E_CONNECTION_NOT_FOUND', `Plugin "${plugin}" has no connection ${JSON.stringify(idOrName)}`, {
    hint: `List them with GET /plugins/${plugin}/connections (devlake serve), or create one there.`,
  });
}

function maskedProxy(proxy: string | undefined): string | undefined {
  if (!proxy) return undefined;
  return redactUrl(proxy).replace('***@', `${MASK}@`);
}

/** A new auth that leaves a secret out (or masked) keeps the saved one, when the type is the same. */
function mergeAuth(current: ConnectionAuth, next: ConnectionAuth): ConnectionAuth {
  const keep = (value: string | undefined, saved: string): string => (value === undefined || value === MASK ? saved : value);
  if (next.type === 'bearer' && current.type === 'bearer') return { type: 'bearer', token: keep(next.token, current.token) };
  if (next.type === 'basic' && current.type === 'basic') return { type: 'basic', username: next.username ?? current.username, password: keep(next.password, current.password) };
  if (next.type === 'header' && current.type === 'header') return { type: 'header', name: next.name ?? current.name, value: keep(next.value, current.value) };
  return next;
}

function masked(row: ConnectionRow): MaskedConnection {
  const auth: ConnectionAuth =
    row.auth_type === 'bearer'
      ? { type: 'bearer', token: MASK }
      : row.auth_type === 'basic'
        ? { type: 'basic', username: row.username ?? '', password: MASK }
        : row.auth_type === 'header'
          ? { type: 'header', name: row.header_name ?? '', value: MASK }
          : { type: 'none' };
  return {
    id: Number(row.id),
    plugin: row.plugin,
    name: row.name,
    ...(row.endpoint ? { endpoint: row.endpoint } : {}),
    auth,
    ...(row.proxy_display ? { proxy: row.proxy_display } : {}),
    ...(row.rate_limit_per_hour != null ? { rateLimitPerHour: Number(row.rate_limit_per_hour) } : {}),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

const iso = (v: Date | string | null): string => (v == null ? '' : new Date(v).toISOString());

function invalid(field: string, message: string, hint: string): DevlakeError {
  return new DevlakeError('DEVLAKE_E_CONNECTION_INVALID', message, { hint, data: { field } });
}

function isHttpUrl(value: string): boolean {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** Checks what a JSON schema cannot: URLs, complete credentials, a sane rate limit. */
function validate(conn: PluginConnection): PluginConnection {
  const name = conn.name.trim();
  if (!name) throw invalid('name', 'A connection needs a name', 'Give it a short name, e.g. "cloud".');
  if (conn.endpoint !== undefined && !isHttpUrl(conn.endpoint)) {
    throw invalid('endpoint', 'The endpoint is not an http(s) URL', 'Use a URL such as https://api.example.com/.');
  }
  if (conn.proxy !== undefined && !isHttpUrl(conn.proxy)) {
    throw invalid('proxy', 'The proxy is not an http(s) URL', 'Use a URL such as http://proxy.local:3128/, or leave it empty.');
  }
  const a = conn.auth;
  if (a.type === 'bearer' && (!a.token || a.token === MASK)) throw invalid('auth.token', 'Bearer auth needs a token', 'Paste the API token.');
  if (a.type === 'basic' && (!a.username || !a.password || a.password === MASK)) {
    throw invalid(a.username ? 'auth.password' : 'auth.username', 'Basic auth needs a username and a password', 'Fill in both.');
  }
  if (a.type === 'header' && (!/^[A-Za-z0-9-]+$/.test(a.name ?? '') || !a.value || a.value === MASK)) {
    throw invalid(a.value ? 'auth.name' : 'auth.value', 'Header auth needs a header name (letters, digits, -) and a value', 'e.g. name "PRIVATE-TOKEN" and the token as value.');
  }
  if (conn.rateLimitPerHour !== undefined && (!Number.isInteger(conn.rateLimitPerHour) || conn.rateLimitPerHour < 1)) {
    throw invalid('rateLimitPerHour', 'The rate limit must be a whole number of requests per hour, at least 1', 'e.g. 5000, or leave it empty for the default.');
  }
  return { ...conn, name };
}
