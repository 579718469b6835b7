import type { Knex } from 'knex';
import type { SubTaskContext } from '../core/context';
import { DevlakeError, isDevlakeError, throwIfAborted, type ErrorCode } from '../core/errors';
import type { ModelDef, Row } from '../core/model';
import type { ColumnTypes } from '../core/table';
import { dialectOf } from '../dal/dialects';
import type { Dal } from '../dal/types';
import { assertModelRows, BatchSaveDivider, type BatchOrigin } from './batch-save';

/** What the extractor and the converter share: read, transform, replace atomically. */
export interface StreamTransformSpec<TIn extends object> {
  ctx: SubTaskContext<any, any>;
  origin: BatchOrigin;
  outputs: readonly ModelDef<any>[];
  batchSize: number;
  input: (db: Knex) => Knex.QueryBuilder;
  inputKey: readonly string[];
  /** Declared types of the input's columns, decoded the same on every database. */
  columns?: ColumnTypes;
  /**
   * The input was committed before the run and this transaction does not
   * write it (raw rows): on a server database it is then read in a read-only
   * transaction of its own, on a second connection, so the server reads the
   * next pages while this connection writes. Default false (read in the run's transaction).
   */
  inputCommitted?: boolean;
  /** Counts the input rows, for progress. */
  count: (db: Knex) => Knex.QueryBuilder;
  /** Calls extract()/convert() on one input row (`tx`: the run's transaction): model rows, or a promise of them. */
  call(row: TIn, tx: Dal): unknown;
  /** The provenance columns for the rows made from `row`. */
  provenance(row: TIn): Row;
  /** Whether a returned row that sets `_raw_data_table` keeps its own provenance (converters). */
  keepOwnProvenance: boolean;
  /** `extract()` or `convert()`, for messages. */
  fn: string;
  /** Error code and a label of the input row, for failures. */
  errorCode: ErrorCode;
  describe(row: TIn): string;
  hint: string;
}

const PROGRESS_EVERY = 100; // rows between progress updates
const THREAD_MIN_PAGES = 4; // input pages from which a reader thread reads them (see runStreamTransform)

/**
 * One transaction: delete the previous rows of the origin, stream the input in
 * keyset pages, transform, write. A throw or an abort rolls everything back,
 * leaving the previous complete rows. Awaits only what is really async: this
 * loop runs once per raw row.
 */
export async function runStreamTransform<TIn extends object>(spec: StreamTransformSpec<TIn>): Promise<Map<string, number>> {
  const { ctx } = spec;
  throwIfAborted(ctx.signal);
  const sql = dialectOf(ctx.db.dialect);
  const committed = spec.inputCommitted === true && !ctx.db.inTransaction;
  const ownReader = committed && sql.prefetchPages;
  const pageSize = Math.max(spec.batchSize, 100);
  const total = await countRows(spec);
  // SQLite: committed input of a few pages or more is read ahead on a thread of its own (it opens while the
  // transaction starts and clears the previous rows); a small input is not worth the thread's memory.
  const threaded = committed && !ownReader && total > THREAD_MIN_PAGES * pageSize && spec.inputKey.length === 1 && spec.columns === undefined;
  const threadReader = threaded ? sql.committedReader?.(ctx.db.knex) : undefined;
  ctx.setProgress(0, total, 'records');
  const where = `${ctx.name}: ${spec.fn}`;
  let done = 0;
  // preferIndexOrder: the input was often just filled and has no statistics; a planner that
  // sorts every keyset page instead of walking the key's index turns the read quadratic.
  const run = (reader: Dal | undefined) => ctx.db.transaction(async (tx) => {
    const saver = new BatchSaveDivider(tx, spec.origin, spec.batchSize);
    for (const model of spec.outputs) await saver.clear(model);
    const pages =
      (await threadReader)?.pages<Row>(ctx.db.knex, spec.input, spec.inputKey[0]!, pageSize) ??
      (reader ?? tx).streamPages(spec.input, { key: spec.inputKey, pageSize, columns: spec.columns });
    // Pages, not rows: an await per row of an async iterator costs more than extract() itself.
    for await (const page of pages) {
      if (done === 0) checkKeySelected(spec, page[0]!);
      for (const streamed of page) {
        const row = streamed as TIn;
        if (ctx.signal.aborted) throwIfAborted(ctx.signal);
        let result: unknown;
        try {
          result = spec.call(row, tx);
          if (isPromiseLike(result)) result = await result;
        } catch (err) {
          if (isDevlakeError(err) && (err.code === 'DEVLAKE_E_CANCELLED' || err.code === 'DEVLAKE_E_MODEL')) throw err;
          throw new DevlakeError(spec.errorCode, `${ctx.name}: failed on ${spec.describe(row)}: ${(err as Error)?.message ?? String(err)}`, {
            cause: err,
            hint: spec.hint,
          });
        }
        const produced = assertModelRows(result, where);
        if (produced.length > 0) {
          const prov = spec.provenance(row);
          for (const out of produced) {
            const data = out.data as Row;
            const own = spec.keepOwnProvenance && data._raw_data_table !== undefined && data._raw_data_table !== null;
            // Object.assign, not spread: `{ ...data, ...prov }` costs ~5 µs a row on Node 20, this ~0.3.
            const full: Row = own ? Object.assign({}, data) : Object.assign({}, data, prov);
            // A row may carry its own remark (DevLake stores a record index there).
            if (!own && data._raw_data_remark !== undefined && data._raw_data_remark !== null) full._raw_data_remark = data._raw_data_remark;
            const pending = saver.add(out, full);
            if (pending) await pending;
          }
        }
        done++;
        if (done % PROGRESS_EVERY === 0) ctx.setProgress(done, total);
      }
    }
    throwIfAborted(ctx.signal);
    await saver.flushAll();
    return saver.written;
  }, { preferIndexOrder: true });
  // The reader's transaction ends after the writer's, whatever its outcome; it wrote nothing.
  const written = ownReader ? await ctx.db.transaction((reader) => run(reader), { preferIndexOrder: true }) : await run(undefined);
  ctx.setProgress(done, total);
  // Reported after commit: rolled-back rows were never written.
  for (const [table, n] of written) ctx.addRowsWritten(table, n);
  return written;
}

async function countRows<TIn extends object>(spec: StreamTransformSpec<TIn>): Promise<number> {
  const [first] = (await spec.count(spec.ctx.db.knex)) as Array<Record<string, unknown>>;
  return Number(first ? Object.values(first)[0] : 0) || 0;
}

/** Keyset paging needs the key in every row; without it the next page would fail obscurely. */
function checkKeySelected<TIn extends object>(spec: StreamTransformSpec<TIn>, row: Row): void {
  const missing = spec.inputKey.filter((k) => row[k.slice(k.lastIndexOf('.') + 1)] === undefined);
  if (missing.length === 0) return;
  throw new DevlakeError(spec.errorCode, `${spec.ctx.name}: the input rows lack the key column(s) ${missing.join(', ')}`, {
    hint: 'Select the inputKey columns in input(), or set inputKey to a unique key the query selects.',
  });
}

function isPromiseLike(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}
