import { DevlakeError, isDevlakeError } from '../core/errors';
import type { ModelDef, Row } from '../core/model';
import type { Dal } from '../dal/types';

/**
 * Writes the rows of one table inside the extraction's transaction, in
 * batches through the sink's upsert (cached prepared statements; last row per
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

/**
 * Where a transform's deletes and writes go: the run's transaction
 * ({@link dalSink}), or a writer on a connection of its own (detached-sink.ts).
 * Errors are the raw driver's, or DevlakeErrors already worded.
 */
export interface RowSink {
  /** Deletes the rows of `table` made from `rawTable` with `params`. */
  deleteOrigin(table: string, rawTable: string, params: string): Promise<void>;
  /** Upserts `rows` on `model`'s primary key (inserts them when it has none); returns the rows written. */
  write(model: ModelDef<any>, rows: Row[], batchSize: number): Promise<number>;
}

/** The sink of the transaction `tx`. */
export function dalSink(tx: Dal): RowSink {
  return {
    async deleteOrigin(table, rawTable, params) {
      await tx.knex(table).where({ _raw_data_table: rawTable, _raw_data_params: params }).delete();
    },
    // A key-less table (DevLake's repo_languages) cannot be upserted: its old rows were cleared by origin, so insert.
    write: (model, rows, batchSize) =>
      model.primaryKey.length === 0 ? tx.insert(model.table, rows, { batchSize }) : tx.upsert(model.table, rows, { primaryKey: model.primaryKey, batchSize }),
  };
}

/** A sink as is; a Dal (a transaction) as its {@link dalSink}. */
export function sinkOf(target: Dal | RowSink): RowSink {
  return 'deleteOrigin' in target ? target : dalSink(target);
}

/** Creates the writer for `model`'s table into `target` (a transaction or a sink). */
export function createTableWriter(target: Dal | RowSink, model: ModelDef<any>, batchSize: number): TableWriter {
  return new DalBatchWriter(sinkOf(target), model, batchSize);
}

/** The error of a failed write into `table`: names the table and the fix. */
export function writeFailure(table: string, err: unknown): DevlakeError {
  if (isDevlakeError(err)) return err;
  return new DevlakeError('DEVLAKE_E_DB_QUERY', `Writing rows to ${table} failed: ${(err as Error)?.message ?? String(err)}`, {
    cause: err,
    hint: 'Check that the returned rows use the columns of the table (run `devlake migrate` after changing a model); nothing was written.',
    data: { table },
  });
}

/** Batches rows for the sink's upsert; a driver error names the table and the fix. */
class DalBatchWriter implements TableWriter {
  readonly #sink: RowSink;
  readonly #model: ModelDef<any>;
  readonly #batchSize: number;
  #rows: Row[] = [];
  written = 0;

  constructor(sink: RowSink, model: ModelDef<any>, batchSize: number) {
    this.#sink = sink;
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
    try {
      // Not `written += await …`: that reads `written` before the await, and two writes may be in flight.
      const n = await this.#sink.write(this.#model, rows, this.#batchSize);
      this.written += n;
    } catch (err) {
      throw writeFailure(this.#model.table, err);
    }
  }
}
