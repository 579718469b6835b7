import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DevlakeError } from '../core/errors';
import { API_KEYS_TABLE } from '../dal/connection-tables';
import type { Dal } from '../dal/types';

/** The environment variable with API keys (comma-separated) accepted besides the stored ones. */
export const API_KEYS_VAR = 'DEVLAKE_API_KEYS';

const KEY_PREFIX = 'dlk_';

/** An API key as listed: never the key itself, only its first characters. */
export interface ApiKeyInfo {
  id: number;
  name: string;
  prefix: string;
  createdAt: string;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * API keys of `devlake serve`. A key is 256 random bits, shown once at
 * creation; the table keeps its SHA-256 (a fast hash is enough for a random
 * key of that size, as GitHub does for tokens) and its first characters.
 */
export class ApiKeyStore {
  readonly #dal: Dal;
  readonly #envHashes: Buffer[];

  /** `envKeys`: the plain keys of `DEVLAKE_API_KEYS`, hashed at once and never kept. */
  constructor(dal: Dal, envKeys: readonly string[] = []) {
    this.#dal = dal;
    this.#envHashes = envKeys.filter(Boolean).map(sha256);
  }

  /** Creates a key named `name`; returns the key (the only time it is seen) and its listing. */
  async create(name: string): Promise<{ key: string; info: ApiKeyInfo }> {
    if (!/^[A-Za-z0-9_.-]{1,100}$/.test(name)) {
      throw new DevlakeError('DEVLAKE_E_USAGE', `API key name "${name}" is not 1-100 letters, digits, "_", "." or "-"`, { hint: 'e.g. devlake api-key create --name ci' });
    }
    if (await this.#dal.knex(API_KEYS_TABLE).where({ name }).first()) {
      throw new DevlakeError('DEVLAKE_E_USAGE', `An API key named "${name}" already exists`, { hint: 'Choose another --name.' });
    }
    const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const now = new Date();
    await this.#dal.knex(API_KEYS_TABLE).insert({ name, prefix: key.slice(0, 10), hash: sha256(key).toString('hex'), created_at: now });
    const info = (await this.list()).find((k) => k.name === name)!;
    return { key, info };
  }

  /** Every stored key, without the keys. */
  async list(): Promise<ApiKeyInfo[]> {
    const rows = (await this.#dal.knex(API_KEYS_TABLE).select('id', 'name', 'prefix', 'created_at').orderBy('id')) as Array<{ id: number | string; name: string; prefix: string; created_at: Date | string }>;
    return rows.map((r) => ({ id: Number(r.id), name: r.name, prefix: r.prefix, createdAt: new Date(r.created_at).toISOString() }));
  }

  /** True when any key is configured (environment or table). */
  async any(): Promise<boolean> {
    return this.#envHashes.length > 0 || !!(await this.#dal.knex(API_KEYS_TABLE).first('id'));
  }

  /** True when `key` is one of the configured keys. Compares hashes in constant time. */
  async verify(key: string): Promise<boolean> {
    if (!key || key.length > 512) return false;
    const hash = sha256(key);
    if (this.#envHashes.some((h) => timingSafeEqual(h, hash))) return true;
    const row = (await this.#dal.knex(API_KEYS_TABLE).where({ hash: hash.toString('hex') }).first('hash')) as { hash: string } | undefined;
    return !!row && timingSafeEqual(Buffer.from(row.hash, 'hex'), hash);
  }

  /** Deletes the key named `name`; false when there is none. */
  async revoke(name: string): Promise<boolean> {
    return (await this.#dal.knex(API_KEYS_TABLE).where({ name }).delete()) > 0;
  }
}

/** The keys of `DEVLAKE_API_KEYS`. */
export function envApiKeys(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
