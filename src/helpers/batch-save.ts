import { DevlakeError } from '../core/errors';
import type { ModelDef, ModelRow, Row } from '../core/model';
import type { Dal } from '../dal/types';

/** Where the rows being written came from; their old rows are replaced. */
export interface BatchOrigin {
  /** The raw table, e.g. `_raw_github_api_issues`. */
  rawTable: string;
  /** The params JSON string, e.g. `{"ConnectionId":1,"Name":"org/repo"}`. */
  params: string;
}

interface Pending {
  model: ModelDef<any>;
  rows: Row[];
}

/**
 * DevLake's BatchSaveDivider, inside one transaction: the first time a table
 * is seen (or up front for declared outputs) the rows of that table from the
 * same origin are deleted; then rows are buffered per table and upserted
 * every `batchSize` rows. Only one batch per table is held in memory.
 */
export class BatchSaveDivider {
  readonly #tx: Dal;
  readonly #origin: BatchOrigin;
  readonly #batchSize: number;
  readonly #pending = new Map<string, Pending>();
  readonly #cleared = new Set<string>();
  /** Rows written per table so far (reported after commit by the caller). */
  readonly written = new Map<string, number>();

  constructor(tx: Dal, origin: BatchOrigin, batchSize: number) {
    this.#tx = tx;
    this.#origin = origin;
    this.#batchSize = batchSize;
  }

  /** Deletes the previous rows of `model` from this origin, once per table. */
  async clear(model: ModelDef<any>): Promise<void> {
    if (this.#cleared.has(model.table)) return;
    this.#cleared.add(model.table);
    await this.#tx
      .knex(model.table)
      .where({ _raw_data_table: this.#origin.rawTable, _raw_data_params: this.#origin.params })
      .delete();
  }

  /** Buffers a row; flushes its table's batch when full. */
  async add(row: ModelRow<any>, data: Row): Promise<void> {
    const model = row.model;
    for (const k of model.primaryKey) {
      if (data[k] === undefined || data[k] === null) {
        throw new DevlakeError('DEVLAKE_E_MODEL', `A row for ${model.table} has no value for primary key column "${k}"`, {
          hint: 'Set every primary key column in the returned row.',
          data: { table: model.table, column: k },
        });
      }
    }
    await this.clear(model);
    let pending = this.#pending.get(model.table);
    if (!pending) {
      pending = { model, rows: [] };
      this.#pending.set(model.table, pending);
    }
    pending.rows.push(data);
    if (pending.rows.length >= this.#batchSize) await this.#flush(pending);
  }

  /** Writes every buffered row. */
  async flushAll(): Promise<void> {
    for (const pending of this.#pending.values()) await this.#flush(pending);
  }

  async #flush(pending: Pending): Promise<void> {
    if (pending.rows.length === 0) return;
    const rows = pending.rows;
    pending.rows = [];
    // Duplicate keys in one batch: the Dal keeps the last; across batches the later upsert wins.
    const n = await this.#tx.upsert(pending.model.table, rows, {
      primaryKey: pending.model.primaryKey,
      batchSize: this.#batchSize,
    });
    this.written.set(pending.model.table, (this.written.get(pending.model.table) ?? 0) + n);
  }
}

/** Checks that `extract`/`convert` returned model rows. */
export function assertModelRows(value: unknown, where: string): ModelRow<any>[] {
  const list = value === undefined || value === null ? [] : value;
  if (!Array.isArray(list)) {
    throw new DevlakeError('DEVLAKE_E_MODEL', `${where} must return an array of model rows, got ${typeof list}`, {
      hint: 'Return [Model.row({...}), ...] (an empty array to skip the record).',
    });
  }
  for (const r of list) {
    const m = (r as ModelRow<any> | null)?.model;
    if (!m || typeof m.table !== 'string' || !Array.isArray(m.primaryKey) || typeof (r as ModelRow).data !== 'object' || (r as ModelRow).data === null) {
      throw new DevlakeError('DEVLAKE_E_MODEL', `${where} returned something that is not a model row`, {
        hint: 'Wrap each row with its model: Model.row({...}).',
      });
    }
  }
  return list as ModelRow<any>[];
}

/** The params as the exact JSON string stored in the raw `params` column. */
export function paramsString(params: unknown): string {
  return typeof params === 'string' ? params : JSON.stringify(params);
}
