import type { Knex } from 'knex';
import type { SubTaskContext } from '../core/context';
import { DevlakeError, isDevlakeError, throwIfAborted, type ErrorCode } from '../core/errors';
import type { ModelDef, ModelRow, Row } from '../core/model';
import { assertModelRows, BatchSaveDivider, type BatchOrigin } from './batch-save';

/** What the extractor and the converter share: read, transform, replace atomically. */
export interface StreamTransformSpec<TIn extends object> {
  ctx: SubTaskContext<any, any>;
  origin: BatchOrigin;
  outputs: readonly ModelDef<any>[];
  batchSize: number;
  input: (db: Knex) => Knex.QueryBuilder;
  inputKey: readonly string[];
  /** Counts the input rows, for progress. */
  count: (db: Knex) => Knex.QueryBuilder;
  /** Turns one input row into output rows with provenance set. */
  transform(row: TIn): Promise<Array<{ row: ModelRow<any>; data: Row }>>;
  /** Error code and a label of the input row, for failures. */
  errorCode: ErrorCode;
  describe(row: TIn): string;
  hint: string;
}

const PROGRESS_EVERY = 100; // rows between progress updates

/**
 * One transaction: delete the previous rows of the origin, stream the input in
 * keyset pages, transform, batch-upsert. A throw or an abort rolls everything
 * back, leaving the previous complete rows.
 */
export async function runStreamTransform<TIn extends object>(spec: StreamTransformSpec<TIn>): Promise<Map<string, number>> {
  const { ctx } = spec;
  throwIfAborted(ctx.signal);
  const total = await countRows(spec);
  ctx.setProgress(0, total);
  let done = 0;
  const written = await ctx.db.transaction(async (tx) => {
    const saver = new BatchSaveDivider(tx, spec.origin, spec.batchSize);
    for (const model of spec.outputs) await saver.clear(model);
    for await (const streamed of tx.stream(spec.input, { key: spec.inputKey, pageSize: Math.max(spec.batchSize, 100) })) {
      const row = streamed as TIn;
      throwIfAborted(ctx.signal);
      let produced: Array<{ row: ModelRow<any>; data: Row }>;
      try {
        produced = await spec.transform(row);
      } catch (err) {
        if (isDevlakeError(err) && (err.code === 'DEVLAKE_E_CANCELLED' || err.code === 'DEVLAKE_E_MODEL')) throw err;
        throw new DevlakeError(spec.errorCode, `${ctx.name}: failed on ${spec.describe(row)}: ${(err as Error)?.message ?? String(err)}`, {
          cause: err,
          hint: spec.hint,
        });
      }
      for (const p of produced) await saver.add(p.row, p.data);
      done++;
      if (done % PROGRESS_EVERY === 0) ctx.setProgress(done, total);
    }
    throwIfAborted(ctx.signal);
    await saver.flushAll();
    return saver.written;
  });
  ctx.setProgress(done, total);
  // Reported after commit: rolled-back rows were never written.
  for (const [table, n] of written) ctx.addRowsWritten(table, n);
  return written;
}

async function countRows<TIn extends object>(spec: StreamTransformSpec<TIn>): Promise<number> {
  const [first] = (await spec.count(spec.ctx.db.knex)) as Array<Record<string, unknown>>;
  return Number(first ? Object.values(first)[0] : 0) || 0;
}

/** Validates returned rows and attaches provenance. */
export function withProvenance(
  value: unknown,
  where: string,
  provenance: (data: Row) => Row,
): Array<{ row: ModelRow<any>; data: Row }> {
  return assertModelRows(value, where).map((row) => ({ row, data: { ...(row.data as Row), ...provenance(row.data as Row) } }));
}
