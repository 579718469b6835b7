import type { SubTaskContext } from '../core/context';
import { DevlakeError, isDevlakeError, throwIfAborted, type ErrorCode } from '../core/errors';
import { dialectOf } from '../dal/dialects';
import type { MappedInsertPlan } from '../dal/mapped-insert';
import type { BatchOrigin } from './batch-save';

/** Where a declarative extraction or conversion runs. */
export type MappedEngine = 'auto' | 'sql' | 'js';

/** What a declarative run did. */
export interface MappedRunResult {
  /** `sql` when one statement wrote the rows, `js` when JavaScript did. */
  engine: 'sql' | 'js';
  /** Why JavaScript ran (in `auto`), for logs and tests. */
  reason?: string;
  /** Rows written. */
  rows: number;
}

/** One declarative run's statement and its JavaScript reference. */
export interface MappedStatementSpec {
  ctx: SubTaskContext<any, any>;
  engine: MappedEngine;
  /** The rows of the output table from this origin are replaced. */
  origin: BatchOrigin;
  plan: MappedInsertPlan;
  /** `DEVLAKE_E_EXTRACT` or `DEVLAKE_E_CONVERT`, and `extraction` or `conversion`, for messages. */
  errorCode: ErrorCode;
  what: string;
  /** The same rules in JavaScript: the reference the statement matches, run when it cannot. */
  runJs(reason: string): Promise<MappedRunResult>;
}

/**
 * What the mapped extractor and the mapped converter share: compile the plan
 * for the database, then in one transaction delete the origin's previous rows
 * and run the statement. Where the database cannot express a rule exactly, or
 * the statement fails (duplicate keys on Postgres, a value a cast refuses),
 * `auto` runs the JavaScript reference, which writes the same rows or names
 * the input row at fault. A cancel keeps the previous rows.
 */
export async function runMappedStatement(spec: MappedStatementSpec): Promise<MappedRunResult> {
  const { ctx, plan, engine } = spec;
  const compiled = dialectOf(ctx.db.dialect).compileMappedInsert(plan);
  if ('unsupported' in compiled) {
    if (engine === 'sql') throw new DevlakeError(spec.errorCode, `${ctx.name}: ${ctx.db.dialect} cannot run ${compiled.unsupported} in SQL`, { hint: 'Use engine "auto" (the default) to run it in JavaScript.' });
    return spec.runJs(compiled.unsupported);
  }
  // No existence check or count first: the statement is the whole cost. A missing table fails it, and
  // JavaScript then reports that with its hint.
  let rows = 0;
  try {
    await ctx.db.transaction(async (tx) => {
      await tx.knex(plan.table).where({ _raw_data_table: spec.origin.rawTable, _raw_data_params: spec.origin.params }).delete();
      rows = await dialectOf(tx.dialect).executeMappedInsert(tx.knex, compiled.sql, compiled.bindings);
      throwIfAborted(ctx.signal); // before commit: a cancel keeps the previous rows
    });
  } catch (err) {
    if (ctx.signal.aborted || engine === 'sql' || (isDevlakeError(err) && err.code === 'DEVLAKE_E_CANCELLED')) {
      if (isDevlakeError(err)) throw err;
      throw new DevlakeError(spec.errorCode, `${ctx.name}: the declarative ${spec.what} into ${plan.table} failed: ${(err as Error)?.message ?? String(err)}`, {
        cause: err,
        hint: 'Run it with engine "js" to find the input row at fault.',
      });
    }
    const reason = `the statement failed: ${(err as Error)?.message ?? String(err)}`;
    ctx.logger.debug(`${ctx.name}: ${reason}; running the mapping in JavaScript`);
    return spec.runJs(reason);
  }
  ctx.setProgress(rows, rows, 'records');
  ctx.addRowsWritten(plan.table, rows);
  return { engine: 'sql', rows };
}
