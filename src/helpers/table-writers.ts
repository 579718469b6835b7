import { DevlakeError, isDevlakeError } from '../core/errors';
import type { ModelDef, Row } from '../core/model';
import type { Dal } from '../dal/types';

/**
 * Writes the rows of one table inside the extraction's transaction, in
 * batches through the Dal's upsert (cached prepared statements; last row per
 * primary key wins, within a batch and across batches). Holds at most one
 * batch in memory.
 */
export interface TableWriter {
  /** Queues one row (provenance already set); returns a promise only when it has to write. */
  add(row: Row): Promise<void> | void;
  /** Writes whatever is queued. */
  flush(): Promise<void>;
  /** Rows written so far. */
  readonly written: number;
}

/** Creates the writer for `model`'s table on the transaction `tx`. */
export function createTableWriter(tx: Dal, model: ModelDef<any>, batchSize: number): TableWriter {
  return new DalBatchWriter(tx, model, batchSize);
}

/** Batches rows for the Dal's upsert; a driver error names the table and the fix. */
class DalBatchWriter implements TableWriter {
  readonly #tx: Dal;
  readonly #model: ModelDef<any>;
  readonly #batchSize: number;
  #rows: Row[] = [];
  written = 0;

  constructor(tx: Dal, model: ModelDef<any>, batchSize: number) {
    this.#tx = tx;
    this.#model = model;
    this.#batchSize = batchSize;
  }

  add(row: Row): Promise<void> | void {
    this.#rows.push(row);
    if (this.#rows.length >= this.#batchSize) return this.flush();
  }

  async flush(): Promise<void> {
    if (this.#rows.length === 0) return;
    const rows = this.#rows;
    this.#rows = [];
    const table = this.#model.table;
    try {
      // Not `written += await …`: that reads `written` before the await, and two writes may be in flight.
      // A key-less table (DevLake's repo_languages) cannot be upserted: its old rows were cleared by origin, so insert.
      const n =
        this.#model.primaryKey.length === 0
          ? await this.#tx.insert(table, rows, { batchSize: this.#batchSize })
          : await this.#tx.upsert(table, rows, { primaryKey: this.#model.primaryKey, batchSize: this.#batchSize });
      this.written += n;
    } catch (err) {
      if (isDevlakeError(err)) throw err;
      throw new DevlakeError('DEVLAKE_E_DB_QUERY', `Writing rows to ${table} failed: ${(err as Error)?.message ?? String(err)}`, {
        cause: err,
        hint: 'Check that the returned rows use the columns of the table (run `devlake migrate` after changing a model); nothing was written.',
        data: { table },
      });
    }
  }
}
