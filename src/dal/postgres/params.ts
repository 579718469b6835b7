import type { Knex } from 'knex';

/**
 * Widens to `text` the `varchar` columns of the current schema that hold scope
 * params: `params` of raw and staging tables, `_raw_data_params` of tool and
 * domain tables, `raw_data_params` of the collector state. Defaults, nullability
 * and indexes stay as they are. Returns the columns widened.
 */
export async function widenParamsColumns(db: Knex): Promise<Array<{ table: string; column: string }>> {
  const { rows } = (await db.raw(
    `SELECT table_name AS "table", column_name AS "column"
       FROM information_schema.columns
      WHERE table_schema = current_schema()
        AND data_type = 'character varying'
        AND (column_name IN ('_raw_data_params', 'raw_data_params')
             OR (column_name = 'params' AND (table_name LIKE '\\_raw\\_%' OR table_name = '_devlake_ts_raw_staging')))
      ORDER BY table_name`,
  )) as { rows: Array<{ table: string; column: string }> };
  for (const { table, column } of rows) await db.raw('ALTER TABLE ?? ALTER COLUMN ?? TYPE text', [table, column]);
  return rows;
}
