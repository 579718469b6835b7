import { DevlakeError } from '../core/errors';
import type { ModelDef, ModelRow, Row } from '../core/model';
import { dialectOf } from '../dal/dialects';
import { isMissingTableOrColumn } from '../dal/missing-table-error';
import type { Dal } from '../dal/types';
import { createTableWriter, type TableWriter } from './table-writers';

/** Where the rows being written came from; their old rows are replaced. */
export interface BatchOrigin {
  /** The raw table, e.g. `_raw_github_api_issues`. */
  rawTable: string;
  /** The params JSON string, e.g. `{"ConnectionId":1,"Name":"org/repo"}`. */
  params: string;
}

/**
 * DevLake's BatchSaveDivider, inside one transaction: the first time a table
 * is seen (or up front for declared outputs) the rows of that table from the
 * same origin are deleted; then rows go to the table's writer, which holds at
 * most one batch in memory.
 */
export class BatchSaveDivider {
  readonly #tx: Dal;
  readonly #origin: BatchOrigin;
  readonly #batchSize: number;
  readonly #writers = new Map<string, TableWriter>();
  readonly #cleared = new Set<string>();
  #inflight: Promise<void> | undefined;

  constructor(tx: Dal, origin: BatchOrigin, batchSize: number) {
    this.#tx = tx;
    this.#origin = origin;
    this.#batchSize = batchSize;
  }

  /** Rows written per table so far (reported after commit by the caller). */
  get written(): Map<string, number> {
    return new Map([...this.#writers].map(([table, w]) => [table, w.written]));
  }

  /** Deletes the previous rows of `model` from this origin, once per table. */
  async clear(model: ModelDef<any>): Promise<void> {
    if (this.#cleared.has(model.table)) return;
    this.#cleared.add(model.table);
    try {
      const { rawTable, params } = this.#origin;
      const clearOrigin = dialectOf(this.#tx.dialect).clearOrigin;
      if (clearOrigin) await clearOrigin(this.#tx.knex, model.table, rawTable, params);
      else await this.#tx.knex(model.table).where({ _raw_data_table: rawTable, _raw_data_params: params }).delete();
    } catch (err) {
      throw new DevlakeError('DEVLAKE_E_DB_QUERY', `Cannot replace the rows of ${model.table} from ${this.#origin.rawTable}: ${(err as Error).message}`, {
        cause: err,
        hint: isMissingTableOrColumn(err)
          ? 'The table must exist with the provenance columns: create it in a migration with addRawDataOrigin(t) (or addNoPkModelColumns).'
          : 'Nothing of this extraction was kept (its transaction rolled back): check the database, then run the subtask again.',
        data: { table: model.table },
      });
    }
  }

  /** Writes (or queues) a row of `row.model` whose data, provenance included, is `data`; a promise only when it must wait. */
  add(row: ModelRow<any>, data: Row): Promise<void> | void {
    const model = row.model;
    for (const k of model.primaryKey) {
      if (isMissingKey(data[k])) throw missingKeyError(model.table, k, data);
    }
    const zeros = zeroFill(model);
    if (zeros) {
      fillZeroValues(data, zeros);
      // gorm's autoUpdateTime: a domain row's updated_at is the time of its last write, so consumers (export) can read changes.
      if (zeros.stampsUpdatedAt && data.updated_at == null) data.updated_at = new Date();
    }
    const writer = this.#writers.get(model.table);
    if (!writer) return this.#firstRow(model, data);
    const writing = writer.add(data);
    return writing && this.#keepInFlight(writing);
  }

  /**
   * Lets one batch write run while the caller makes the next rows: on Postgres
   * the server inserts while Node parses (a connection runs its queries in
   * order). Waits for the write before, so at most two batches are held and a
   * failure surfaces at the next write or at flushAll().
   */
  async #keepInFlight(writing: Promise<void>): Promise<void> {
    writing.then(undefined, () => undefined); // observed below or by flushAll(); never unhandled
    const previous = this.#inflight;
    this.#inflight = writing;
    if (previous) await previous;
  }

  async #firstRow(model: ModelDef<any>, data: Row): Promise<void> {
    await this.#inflight; // a failed write must surface as itself, not as the next query's "transaction aborted"
    await this.clear(model);
    const writer = createTableWriter(this.#tx, model, this.#batchSize);
    this.#writers.set(model.table, writer);
    await writer.add(data);
  }

  /** Writes every queued row. */
  async flushAll(): Promise<void> {
    await this.#inflight;
    for (const writer of this.#writers.values()) await writer.flush();
  }
}

/** A model's zero values as parallel arrays (a `for … in` over the frozen object per row cost ~3 µs on a 38-column table). */
interface ZeroFill {
  readonly names: readonly string[];
  readonly values: readonly unknown[];
  /** The model has an `updated_at` column to stamp. */
  readonly stampsUpdatedAt: boolean;
}

const zeroFills = new WeakMap<ModelDef<any>, ZeroFill | null>();

function zeroFill(model: ModelDef<any>): ZeroFill | null {
  let fill = zeroFills.get(model);
  if (fill === undefined) {
    const zeros = model.zeroValues;
    fill = zeros ? { names: Object.keys(zeros), values: Object.values(zeros), stampsUpdatedAt: model.columns?.includes('updated_at') === true } : null;
    zeroFills.set(model, fill);
  }
  return fill;
}

/** DevLake's convention: a non-pointer Go column left unset is written as its zero value, never NULL. */
function fillZeroValues(data: Row, zeros: ZeroFill): void {
  const { names, values } = zeros;
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const v = data[name];
    if (v === undefined || v === null) data[name] = values[i];
  }
}

/**
 * A key part no record really has: null, undefined, '' or NaN. Such rows used
 * to collapse into one (every record keyed '' or NULL), losing all but one.
 */
function isMissingKey(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (typeof v === 'number' && Number.isNaN(v));
}

function missingKeyError(table: string, column: string, data: Row): DevlakeError {
  const value = data[column];
  const shown = value === undefined ? 'undefined' : typeof value === 'number' ? String(value) : JSON.stringify(value);
  const rawId = data._raw_data_id;
  const from = rawId === undefined || rawId === null ? '' : ` (made from raw row ${String(rawId)}${data._raw_data_table ? ` of ${String(data._raw_data_table)}` : ''})`;
  return new DevlakeError('DEVLAKE_E_MODEL', `A row for ${table} has no value for primary key column "${column}" (got ${shown})${from}`, {
    hint: 'Set every primary key column in the returned row; a record without its id must be skipped (return []) or fixed at its source.',
    data: { table, column, ...(rawId === undefined || rawId === null ? {} : { rawId: rawId as string | number }) },
  });
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
