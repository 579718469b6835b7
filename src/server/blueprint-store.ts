import { DevlakeError } from '../core/errors';
import type { Dal } from '../core/dal';
import { BLUEPRINTS_TABLE } from '../dal/server-tables';
import type { Blueprint, BlueprintConnection } from '../pipeline/blueprint';
import type { PipelineTask } from '../pipeline/plan';

/**
 * One connection of a saved blueprint. A scope is either the plugin's task
 * options (as in a blueprint file) or `{scopeId}`: a scope saved under the
 * connection (`PUT …/connections/:id/scopes`), read when the blueprint runs.
 */
export type SavedBlueprintConnection = Omit<BlueprintConnection, 'scopes'> & { scopes: Array<Record<string, unknown>> };

/** A blueprint as the API shows and takes it. */
export interface SavedBlueprint {
  id: number;
  name: string;
  project?: string;
  connections: SavedBlueprintConnection[];
  after?: PipelineTask[];
  /** Cron expression (5 or 6 fields); the server runs the blueprint on it while `enabled`. */
  cron?: string;
  enabled: boolean;
  syncPolicy?: Blueprint['syncPolicy'];
  createdAt: string;
  updatedAt: string;
}

/** What a client sends to create a blueprint (a patch sends any of these). */
export type BlueprintInput = Omit<SavedBlueprint, 'id' | 'enabled' | 'createdAt' | 'updatedAt' | 'cron'> & { enabled?: boolean; cron?: string | null };

interface BlueprintRow {
  id: number | string;
  name: string;
  spec: string;
  cron: string | null;
  enabled: boolean | number;
  created_at: Date | string | null;
  updated_at: Date | string | null;
}

type Spec = Pick<SavedBlueprint, 'project' | 'connections' | 'after' | 'syncPolicy'>;
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : '');

/** Saved blueprints in `_devlake_ts_blueprints`: the name and cron in columns, the rest as JSON. */
export class BlueprintStore {
  readonly #dal: Dal;

  constructor(dal: Dal) {
    this.#dal = dal;
  }

  async list(): Promise<SavedBlueprint[]> {
    return ((await this.#dal.knex(BLUEPRINTS_TABLE).orderBy('id')) as BlueprintRow[]).map(fromRow);
  }

  async get(id: number): Promise<SavedBlueprint> {
    const [row] = (await this.#dal.knex(BLUEPRINTS_TABLE).where({ id })) as BlueprintRow[];
    if (!row) throw new DevlakeError('DEVLAKE_E_BLUEPRINT_NOT_FOUND', `No blueprint with id ${id}`, { hint: 'List them with GET /blueprints.' });
    return fromRow(row);
  }

  async create(input: BlueprintInput): Promise<SavedBlueprint> {
    await this.#checkNameFree(input.name);
    const now = new Date();
    const [res] = (await this.#dal
      .knex(BLUEPRINTS_TABLE)
      .insert({ name: input.name, spec: JSON.stringify(specOf(input)), cron: input.cron || null, enabled: input.enabled ?? true, created_at: now, updated_at: now })
      .returning('id')) as Array<{ id: number | string } | number>;
    return this.get(Number(typeof res === 'object' ? res.id : res));
  }

  /** Replaces the fields given; `cron: null` (or '') removes the schedule. */
  async update(id: number, patch: Partial<BlueprintInput>): Promise<SavedBlueprint> {
    const current = await this.get(id);
    const next = { ...current, ...patch };
    if (next.name !== current.name) await this.#checkNameFree(next.name);
    await this.#dal
      .knex(BLUEPRINTS_TABLE)
      .where({ id })
      .update({ name: next.name, spec: JSON.stringify(specOf(next)), cron: next.cron || null, enabled: next.enabled, updated_at: new Date() });
    return this.get(id);
  }

  /** Deletes a blueprint; its pipelines stay. Returns it as it was. */
  async delete(id: number): Promise<SavedBlueprint> {
    const before = await this.get(id);
    await this.#dal.knex(BLUEPRINTS_TABLE).where({ id }).delete();
    return before;
  }

  async #checkNameFree(name: string): Promise<void> {
    const [row] = (await this.#dal.knex(BLUEPRINTS_TABLE).where({ name }).select('id')) as unknown[];
    if (row) {
      throw new DevlakeError('DEVLAKE_E_BLUEPRINT_CONFLICT', `A blueprint named "${name}" already exists`, { hint: 'Choose another name, or edit that blueprint.', data: { field: 'name' } });
    }
  }
}

function specOf(b: Partial<BlueprintInput>): Spec {
  return {
    ...(b.project ? { project: b.project } : {}),
    connections: b.connections ?? [],
    ...(b.after?.length ? { after: b.after } : {}),
    ...(b.syncPolicy ? { syncPolicy: b.syncPolicy } : {}),
  };
}

function fromRow(row: BlueprintRow): SavedBlueprint {
  const spec = JSON.parse(row.spec) as Spec;
  return {
    id: Number(row.id),
    name: row.name,
    ...spec,
    ...(row.cron ? { cron: row.cron } : {}),
    enabled: !!row.enabled,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
