import type { ModelDef, Row } from '../core/model';
import type { DetachedWriter } from '../dal/detached-writer';
import type { SqlDialect } from '../dal/dialect';
import { batchWrite } from '../dal/knex-dal';
import { clearFailure } from './batch-save';
import { writeFailure, type RowSink } from './table-writers';

/**
 * A sink whose deletes and writes run on a detached writer's connection: rows
 * are converted and batched here (as the Dal does), then queued. A failure
 * shows at a later call, worded for the table it happened in.
 */
export function detachedSink(writer: DetachedWriter, sql: SqlDialect): RowSink {
  return {
    async deleteOrigin(table, rawTable, params) {
      await writer.deleteWhere(table, { _raw_data_table: rawTable, _raw_data_params: params }, (err) => clearFailure(table, rawTable, err));
    },
    async write(model: ModelDef<any>, rows: Row[], batchSize: number) {
      if (rows.length === 0) return 0;
      // A key-less table (DevLake's repo_languages) cannot be upserted: its old rows were cleared by origin, so insert.
      const batch = batchWrite(sql, model.table, rows, model.primaryKey.length === 0 ? null : model.primaryKey, batchSize);
      await writer.insert(batch.plan, batch.values, batch.rowCount, batch.perStatement, (err) => writeFailure(model.table, err));
      return batch.rowCount;
    },
  };
}
